-- foreign_keys: off
-- IVR flows. A flow has one draft (what the editor changes) and immutable published versions; calls run the
-- latest published version. Each call's path through a flow is kept in flow_runs. Numbers may now send calls to a
-- flow: SQLite cannot change a CHECK constraint in place, so the numbers table is rebuilt with the same columns
-- plus the flow each slot names (number_hours and number_holidays keep pointing at it by name).
CREATE TABLE flows (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  description TEXT NOT NULL DEFAULT '',
  draft TEXT NOT NULL,
  -- Where calls go when the flow cannot run (the controller is down, a node failed, the loop guard).
  fallback_kind TEXT NOT NULL DEFAULT 'hangup' CHECK (fallback_kind IN ('extension', 'voicemail', 'hangup')),
  fallback_extension_id INTEGER REFERENCES extensions (id) ON DELETE RESTRICT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((fallback_kind = 'hangup') = (fallback_extension_id IS NULL))
);
CREATE INDEX flows_fallback_extension ON flows (fallback_extension_id);

CREATE TABLE flow_versions (
  id INTEGER PRIMARY KEY,
  flow_id INTEGER NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  published_at TEXT NOT NULL,
  published_by TEXT NOT NULL,
  UNIQUE (flow_id, version)
);
-- Published means immutable: a call's record names the version it ran, and that must keep meaning one thing.
CREATE TRIGGER flow_versions_immutable BEFORE UPDATE ON flow_versions
BEGIN
  SELECT RAISE(ABORT, 'published flow versions cannot be changed');
END;

CREATE TABLE flow_runs (
  id INTEGER PRIMARY KEY,
  call_uuid TEXT NOT NULL,
  flow_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  number_id INTEGER,
  caller TEXT NOT NULL,
  called TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  outcome TEXT,
  detail TEXT,
  path TEXT NOT NULL DEFAULT '[]',
  vars TEXT NOT NULL DEFAULT '{}',
  survey TEXT
);
CREATE INDEX flow_runs_call ON flow_runs (call_uuid);
CREATE INDEX flow_runs_flow ON flow_runs (flow_id, started_at);

CREATE TABLE numbers_new (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  trunk_id INTEGER NOT NULL REFERENCES trunks (id) ON DELETE RESTRICT,
  is_inbound INTEGER NOT NULL DEFAULT 1 CHECK (is_inbound IN (0, 1)),
  destination_kind TEXT NOT NULL CHECK (destination_kind IN ('extension', 'voicemail', 'flow', 'hangup')),
  destination_extension_id INTEGER REFERENCES extensions (id) ON DELETE RESTRICT,
  destination_flow_id INTEGER REFERENCES flows (id) ON DELETE RESTRICT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  timezone TEXT,
  after_hours_kind TEXT NOT NULL DEFAULT 'hangup' CHECK (after_hours_kind IN ('extension', 'voicemail', 'flow', 'hangup')),
  after_hours_extension_id INTEGER REFERENCES extensions (id) ON DELETE RESTRICT,
  after_hours_flow_id INTEGER REFERENCES flows (id) ON DELETE RESTRICT,
  is_caller_id INTEGER NOT NULL DEFAULT 1 CHECK (is_caller_id IN (0, 1)),
  is_recorded INTEGER NOT NULL DEFAULT 0 CHECK (is_recorded IN (0, 1)),
  has_survey INTEGER NOT NULL DEFAULT 0 CHECK (has_survey IN (0, 1)),
  -- Extension and voicemail name an extension, flow names a flow, hang up names nothing.
  CHECK ((destination_kind IN ('extension', 'voicemail')) = (destination_extension_id IS NOT NULL)),
  CHECK ((destination_kind = 'flow') = (destination_flow_id IS NOT NULL)),
  CHECK ((after_hours_kind IN ('extension', 'voicemail')) = (after_hours_extension_id IS NOT NULL)),
  CHECK ((after_hours_kind = 'flow') = (after_hours_flow_id IS NOT NULL))
);
INSERT INTO numbers_new (id, number, trunk_id, is_inbound, destination_kind, destination_extension_id, created_at, updated_at,
  timezone, after_hours_kind, after_hours_extension_id, is_caller_id, is_recorded, has_survey)
  SELECT id, number, trunk_id, is_inbound, destination_kind, destination_extension_id, created_at, updated_at,
    timezone, after_hours_kind, after_hours_extension_id, is_caller_id, is_recorded, has_survey FROM numbers;
DROP TABLE numbers;
ALTER TABLE numbers_new RENAME TO numbers;
CREATE INDEX numbers_trunk ON numbers (trunk_id);
CREATE INDEX numbers_extension ON numbers (destination_extension_id);
CREATE INDEX numbers_after_hours_extension ON numbers (after_hours_extension_id);
CREATE INDEX numbers_flow ON numbers (destination_flow_id);
CREATE INDEX numbers_after_hours_flow ON numbers (after_hours_flow_id);
