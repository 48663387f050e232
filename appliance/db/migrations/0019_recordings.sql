-- Call recording (issue 8): policies that say which calls are recorded and how, the recordings themselves, and
-- the disk guard's setting.
CREATE TABLE recording_policies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60),
  mode TEXT NOT NULL CHECK (mode IN ('always', 'never', 'percent')),
  -- Only a percent policy has one: the share of its calls that is recorded.
  percent INTEGER CHECK ((mode = 'percent' AND percent BETWEEN 1 AND 99) OR (mode <> 'percent' AND percent IS NULL)),
  -- call: from the moment the number answers (the IVR included); answer: from the agent's answer.
  start TEXT NOT NULL DEFAULT 'answer' CHECK (start IN ('call', 'answer')),
  stereo INTEGER NOT NULL DEFAULT 1 CHECK (stereo IN (0, 1)),
  -- 0: kept until deleted by hand.
  retention_days INTEGER NOT NULL DEFAULT 90 CHECK (retention_days BETWEEN 0 AND 3650),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The switch numbers had before recording existed becomes this policy.
INSERT INTO recording_policies (name, mode, percent, start, stereo, retention_days) VALUES ('Record all calls', 'always', NULL, 'call', 1, 90);

ALTER TABLE numbers ADD COLUMN recording_policy_id INTEGER REFERENCES recording_policies (id) ON DELETE RESTRICT;
ALTER TABLE queues ADD COLUMN recording_policy_id INTEGER REFERENCES recording_policies (id) ON DELETE RESTRICT;
ALTER TABLE agents ADD COLUMN recording_policy_id INTEGER REFERENCES recording_policies (id) ON DELETE RESTRICT;
UPDATE numbers SET recording_policy_id = (SELECT id FROM recording_policies WHERE name = 'Record all calls') WHERE is_recorded = 1;
ALTER TABLE numbers DROP COLUMN is_recorded;

CREATE TABLE recordings (
  id INTEGER PRIMARY KEY,
  call_id TEXT NOT NULL,
  -- The leg the recording is taken on (the customer's): FreeSWITCH's uuid_record is per channel.
  leg_uuid TEXT NOT NULL,
  -- No foreign key: a policy may be deleted once unused, and its past recordings keep its id for the record.
  policy_id INTEGER,
  agent_id INTEGER,
  -- Relative to the data directory: recordings/YYYY/MM/DD/<call>-<id>.<format>.
  path TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('wav', 'mp3')),
  stereo INTEGER NOT NULL CHECK (stereo IN (0, 1)),
  status TEXT NOT NULL CHECK (status IN ('recording', 'stored', 'failed', 'deleted')),
  -- The agent masked it (a card number being read out): silence is written until they resume.
  is_paused INTEGER NOT NULL DEFAULT 0 CHECK (is_paused IN (0, 1)),
  started_at INTEGER NOT NULL,
  stopped_at INTEGER,
  duration_ms INTEGER,
  size_bytes INTEGER,
  -- When the retention job removes the file (ms since the epoch); NULL: kept.
  delete_after INTEGER,
  error TEXT
);
CREATE INDEX recordings_call ON recordings (call_id);
CREATE INDEX recordings_leg ON recordings (leg_uuid, status);
CREATE INDEX recordings_expiry ON recordings (status, delete_after);

-- One row: settings the recordings page edits.
CREATE TABLE recording_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  min_free_mb INTEGER NOT NULL DEFAULT 1024 CHECK (min_free_mb BETWEEN 0 AND 10485760),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO recording_settings (id) VALUES (1);
