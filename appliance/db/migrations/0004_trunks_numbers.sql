-- Carrier trunks and the numbers (DIDs) that arrive on them.
CREATE TABLE trunks (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  -- 'ip': the carrier sends from known addresses, no password; 'registration': we register with credentials.
  auth_mode TEXT NOT NULL CHECK (auth_mode IN ('ip', 'registration')),
  host TEXT NOT NULL,
  port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  transport TEXT NOT NULL CHECK (transport IN ('udp', 'tcp', 'tls')),
  username TEXT,
  password TEXT,
  realm TEXT,
  expiry_seconds INTEGER NOT NULL DEFAULT 600,
  from_user TEXT,
  from_domain TEXT,
  allowed_cidrs TEXT NOT NULL DEFAULT '[]',
  codecs TEXT NOT NULL DEFAULT 'PCMU,PCMA',
  dtmf_mode TEXT NOT NULL DEFAULT 'rfc2833' CHECK (dtmf_mode IN ('rfc2833', 'info', 'inband')),
  max_calls INTEGER NOT NULL CHECK (max_calls BETWEEN 1 AND 10000),
  is_enabled INTEGER NOT NULL DEFAULT 1 CHECK (is_enabled IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE numbers (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  trunk_id INTEGER NOT NULL REFERENCES trunks (id) ON DELETE RESTRICT,
  is_inbound INTEGER NOT NULL DEFAULT 1 CHECK (is_inbound IN (0, 1)),
  destination_kind TEXT NOT NULL CHECK (destination_kind IN ('extension', 'hangup')),
  destination_extension_id INTEGER REFERENCES extensions (id) ON DELETE RESTRICT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((destination_kind = 'extension') = (destination_extension_id IS NOT NULL))
);
CREATE INDEX numbers_trunk ON numbers (trunk_id);
CREATE INDEX numbers_extension ON numbers (destination_extension_id);
