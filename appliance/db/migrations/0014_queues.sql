-- Queues and agents: our own ACD (modules/queues). Configuration here; the routing state lives in the engine,
-- restored at start from agents.state* (agents) and queue_waiting (callers and callbacks), and every queue event
-- and agent state change is appended to the ledger, from which records and reports are derived.
CREATE TABLE skills (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60),
  description TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Why an agent is not ready. "Missed call" is the system's own (a ring-no-answer puts the agent on break).
CREATE TABLE break_reasons (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60),
  is_system INTEGER NOT NULL DEFAULT 0 CHECK (is_system IN (0, 1)),
  is_enabled INTEGER NOT NULL DEFAULT 1 CHECK (is_enabled IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
INSERT INTO break_reasons (name, is_system, created_at, updated_at) VALUES
  ('Missed call', 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('Break', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('Lunch', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('Meeting', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('Training', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

CREATE TABLE queues (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60),
  description TEXT NOT NULL DEFAULT '',
  strategy TEXT NOT NULL CHECK (strategy IN ('longest_idle', 'round_robin', 'fewest_calls', 'least_talk', 'ring_all', 'sequential', 'random', 'skills', 'sticky')),
  -- Agents must have this skill to be offered the queue's calls; NULL: every member qualifies.
  skill_id INTEGER REFERENCES skills (id) ON DELETE RESTRICT,
  -- A library prompt of category music; NULL: the default hold music.
  music_prompt_id INTEGER REFERENCES prompts (id) ON DELETE RESTRICT,
  -- Announcements while waiting: every N seconds (0: never), a library prompt and/or position and wait time.
  announce_every_s INTEGER NOT NULL DEFAULT 0 CHECK (announce_every_s = 0 OR announce_every_s BETWEEN 15 AND 600),
  announce_prompt_id INTEGER REFERENCES prompts (id) ON DELETE RESTRICT,
  announce_position INTEGER NOT NULL DEFAULT 0 CHECK (announce_position IN (0, 1)),
  announce_wait INTEGER NOT NULL DEFAULT 0 CHECK (announce_wait IN (0, 1)),
  ring_timeout_s INTEGER NOT NULL DEFAULT 20 CHECK (ring_timeout_s BETWEEN 1 AND 90),
  -- NULL: wrap-up lasts until the agent says ready.
  wrap_up_s INTEGER DEFAULT 10 CHECK (wrap_up_s IS NULL OR wrap_up_s BETWEEN 0 AND 600),
  require_disposition INTEGER NOT NULL DEFAULT 0 CHECK (require_disposition IN (0, 1)),
  -- One disposition code per line, as agents pick them in wrap-up.
  dispositions TEXT NOT NULL DEFAULT '',
  misses_before_break INTEGER NOT NULL DEFAULT 1 CHECK (misses_before_break BETWEEN 1 AND 10),
  sticky_window_s INTEGER NOT NULL DEFAULT 86400 CHECK (sticky_window_s BETWEEN 60 AND 2592000),
  -- Longest wait, then where the caller goes. NULL max: no limit.
  max_wait_s INTEGER CHECK (max_wait_s IS NULL OR max_wait_s BETWEEN 10 AND 86400),
  overflow_kind TEXT NOT NULL DEFAULT 'hangup' CHECK (overflow_kind IN ('queue', 'flow', 'extension', 'voicemail', 'hangup')),
  overflow_id INTEGER,
  -- Most callers waiting, then where a new one goes (hangup: busy). NULL max: no limit.
  max_length INTEGER CHECK (max_length IS NULL OR max_length BETWEEN 1 AND 10000),
  full_kind TEXT NOT NULL DEFAULT 'hangup' CHECK (full_kind IN ('queue', 'flow', 'extension', 'voicemail', 'hangup')),
  full_id INTEGER,
  -- When no member is logged in: keep waiting, or go to the overflow destination at once.
  no_agents TEXT NOT NULL DEFAULT 'wait' CHECK (no_agents IN ('wait', 'overflow')),
  -- A key the caller may press while waiting: leave a voicemail, or hang up and be called back in their place.
  exit_key TEXT CHECK (exit_key IS NULL OR exit_key IN ('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#')),
  exit_kind TEXT CHECK (exit_kind IS NULL OR exit_kind IN ('voicemail', 'callback')),
  exit_voicemail_extension_id INTEGER REFERENCES extensions (id) ON DELETE RESTRICT,
  -- Answered within this many seconds counts as within the service level (reports).
  service_level_s INTEGER NOT NULL DEFAULT 20 CHECK (service_level_s BETWEEN 1 AND 3600),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((overflow_kind = 'hangup') = (overflow_id IS NULL)),
  CHECK ((full_kind = 'hangup') = (full_id IS NULL)),
  CHECK ((exit_key IS NULL) = (exit_kind IS NULL)),
  CHECK ((exit_kind = 'voicemail') = (exit_voicemail_extension_id IS NOT NULL))
);

CREATE TABLE agents (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE RESTRICT,
  -- What the agent types with their PIN when logging in from an outside phone, and what phones show.
  number TEXT NOT NULL UNIQUE CHECK (number GLOB '[0-9]*' AND number NOT GLOB '*[^0-9]*' AND length(number) BETWEEN 3 AND 8),
  pin_hash TEXT,
  -- The phone queue calls ring: an extension (desk phone or browser phone), or an external number.
  device_kind TEXT NOT NULL CHECK (device_kind IN ('extension', 'external')),
  extension_id INTEGER UNIQUE REFERENCES extensions (id) ON DELETE RESTRICT,
  external_number TEXT CHECK (external_number IS NULL OR (external_number GLOB '[+0-9]*' AND length(external_number) BETWEEN 3 AND 21)),
  -- The routing state as it was last changed, restored after a restart (the ledger has the history).
  state TEXT NOT NULL DEFAULT 'logged_out' CHECK (state IN ('logged_out', 'ready', 'not_ready', 'reserved', 'talking', 'held', 'wrap_up', 'busy')),
  state_reason TEXT,
  state_since INTEGER NOT NULL DEFAULT 0,
  -- The queue call the agent is on (the caller's leg), and the agent's own leg of it.
  call_id TEXT,
  leg_uuid TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((device_kind = 'extension') = (extension_id IS NOT NULL)),
  CHECK ((device_kind = 'external') = (external_number IS NOT NULL))
);

CREATE TABLE agent_skills (
  agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  skill_id INTEGER NOT NULL REFERENCES skills (id) ON DELETE RESTRICT,
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 10),
  PRIMARY KEY (agent_id, skill_id)
) WITHOUT ROWID;
CREATE INDEX agent_skills_skill ON agent_skills (skill_id);

-- Queue membership; position orders the members for the sequential (top-down) strategy.
CREATE TABLE queue_agents (
  queue_id INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
  agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  position INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (queue_id, agent_id)
) WITHOUT ROWID;
CREATE INDEX queue_agents_agent ON queue_agents (agent_id);

-- Callers served first: a number here waits with this priority (0-9, higher first) in every queue.
CREATE TABLE vip_callers (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE CHECK (number GLOB '[+0-9]*' AND length(number) BETWEEN 2 AND 21),
  priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 9),
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Who is waiting now: a live caller (id = their leg's uuid) or a callback request (the caller hung up and keeps
-- their place). Kept so a restarted controller finds them again in their order.
CREATE TABLE queue_waiting (
  id TEXT PRIMARY KEY,
  queue_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('call', 'callback')),
  priority INTEGER NOT NULL,
  entered_at INTEGER NOT NULL,
  caller TEXT NOT NULL,
  caller_name TEXT NOT NULL DEFAULT '',
  hops INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Everything that happened, append only: queue events (enter, offer, answer, abandon, overflow, callback ...) and
-- agent state changes. at is ms since the epoch; data holds the event's own fields.
CREATE TABLE ledger (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  call_id TEXT,
  queue_id INTEGER,
  agent_id INTEGER,
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ledger_at ON ledger (at);
CREATE INDEX ledger_call ON ledger (call_id) WHERE call_id IS NOT NULL;
CREATE INDEX ledger_agent ON ledger (agent_id, at) WHERE agent_id IS NOT NULL;
CREATE INDEX ledger_queue ON ledger (queue_id, at) WHERE queue_id IS NOT NULL;
CREATE TRIGGER ledger_append_only BEFORE UPDATE ON ledger
BEGIN
  SELECT RAISE(ABORT, 'the ledger is append only');
END;
