-- Every publish of the generated FreeSWITCH configuration, with what changed and what was done about it.
CREATE TABLE config_revisions (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied', 'unchanged', 'failed')),
  sha256 TEXT,
  files_changed TEXT NOT NULL DEFAULT '[]',
  actions TEXT NOT NULL DEFAULT '[]',
  diff TEXT NOT NULL DEFAULT '',
  error TEXT
);
CREATE INDEX config_revisions_created ON config_revisions (created_at);
