-- Call records (issue 8). The ledger is the truth; these tables are its projection, one row per call, rebuilt
-- from the ledger at any time (records.rebuild). Columns are what the records pages filter and sort on; `data`
-- holds the whole derived record (legs, agents, flow path, timeline) as JSON.
CREATE TABLE call_records (
  call_id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  answered_at INTEGER,
  ended_at INTEGER,
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
  caller TEXT NOT NULL,
  callee TEXT NOT NULL,
  dialed TEXT NOT NULL DEFAULT '',
  trunk_id INTEGER,
  number_id INTEGER,
  queue_id INTEGER,
  agent_id INTEGER,
  outcome TEXT NOT NULL,
  result TEXT,
  wait_ms INTEGER,
  talk_ms INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  hangup_cause TEXT,
  hangup_side TEXT,
  disposition TEXT,
  survey INTEGER,
  has_recording INTEGER NOT NULL DEFAULT 0 CHECK (has_recording IN (0, 1)),
  data TEXT NOT NULL
);
CREATE INDEX call_records_started ON call_records (started_at);
CREATE INDEX call_records_caller ON call_records (caller, started_at);
CREATE INDEX call_records_callee ON call_records (callee, started_at);
CREATE INDEX call_records_dialed ON call_records (dialed, started_at) WHERE dialed <> '';
CREATE INDEX call_records_outcome ON call_records (outcome, started_at);
CREATE INDEX call_records_direction ON call_records (direction, started_at);
CREATE INDEX call_records_recorded ON call_records (started_at) WHERE has_recording = 1;

-- Every agent and every queue a call touched (a call may pass through several), for the agent and queue filters
-- and for who may see the record.
CREATE TABLE call_record_agents (
  agent_id INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  call_id TEXT NOT NULL REFERENCES call_records (call_id) ON DELETE CASCADE,
  PRIMARY KEY (agent_id, started_at, call_id)
) WITHOUT ROWID;
CREATE INDEX call_record_agents_call ON call_record_agents (call_id);
CREATE TABLE call_record_queues (
  queue_id INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  call_id TEXT NOT NULL REFERENCES call_records (call_id) ON DELETE CASCADE,
  PRIMARY KEY (queue_id, started_at, call_id)
) WITHOUT ROWID;
CREATE INDEX call_record_queues_call ON call_record_queues (call_id);

-- Which call each FreeSWITCH channel belongs to: how a leg's events find their call after a controller restart.
CREATE TABLE call_legs (
  uuid TEXT PRIMARY KEY,
  call_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX call_legs_created ON call_legs (created_at);
