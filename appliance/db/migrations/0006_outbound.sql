-- Outbound routes and the toll-fraud guardrails around them.
ALTER TABLE extensions ADD COLUMN call_class TEXT NOT NULL DEFAULT 'national'
  CHECK (call_class IN ('internal', 'local', 'national', 'international'));

CREATE TABLE outbound_routes (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL,
  -- Digits, X (any digit), Z (1-9), N (2-9), a leading +, and a trailing . for "one or more digits".
  pattern TEXT NOT NULL,
  strip INTEGER NOT NULL DEFAULT 0 CHECK (strip BETWEEN 0 AND 15),
  prepend TEXT NOT NULL DEFAULT '',
  call_class TEXT NOT NULL CHECK (call_class IN ('local', 'national', 'international')),
  trunk_ids TEXT NOT NULL,
  caller_id_number_id INTEGER NOT NULL REFERENCES numbers (id) ON DELETE RESTRICT,
  is_enabled INTEGER NOT NULL DEFAULT 1 CHECK (is_enabled IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- One row: the guardrails that apply to every outbound call.
CREATE TABLE outbound_policy (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  allow_international INTEGER NOT NULL DEFAULT 0 CHECK (allow_international IN (0, 1)),
  premium_prefixes TEXT NOT NULL DEFAULT '["0900","1900"]',
  emergency_numbers TEXT NOT NULL DEFAULT '["112","911","999"]',
  extension_concurrent INTEGER NOT NULL DEFAULT 2,
  extension_per_hour INTEGER NOT NULL DEFAULT 30,
  global_concurrent INTEGER NOT NULL DEFAULT 10,
  global_per_hour INTEGER NOT NULL DEFAULT 200,
  updated_at TEXT NOT NULL DEFAULT '1970-01-01T00:00:00.000Z'
);
INSERT INTO outbound_policy (id) VALUES (1);

-- Outbound calls the guardrails refused, as the switch reported them.
CREATE TABLE blocked_calls (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  extension TEXT NOT NULL,
  dialed TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX blocked_calls_at ON blocked_calls (at);
