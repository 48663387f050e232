-- Screen pops (modules/screenpop): CRM pages the agent workbench opens for a call, compatible with Huawei CEC's
-- "enterprise custom page" integration (GET/POST URL parameters and the AICCSupport.js SDK). Pages open in list
-- order (sort_order); only pages whose origin is on the allowed list may be saved.
CREATE TABLE screen_pops (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60),
  url TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
  -- embed: a tab of the workbench (an iframe); window: a separate browser window, for pages that refuse framing.
  open_mode TEXT NOT NULL DEFAULT 'embed' CHECK (open_mode IN ('embed', 'window')),
  -- get: parameters in the query; post: a form posted into the frame; webapi: a persistent frame with the SDK.
  integration TEXT NOT NULL DEFAULT 'get' CHECK (integration IN ('get', 'post', 'webapi')),
  -- answer: when the agent answers (Huawei's behaviour); ring: already when the call rings.
  trigger TEXT NOT NULL DEFAULT 'answer' CHECK (trigger IN ('answer', 'ring')),
  is_enabled INTEGER NOT NULL DEFAULT 1 CHECK (is_enabled IN (0, 1)),
  sort_order INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX screen_pops_order ON screen_pops (sort_order);

-- The parameters a pop sends, in order. None: the defaults (6 for GET, 9 for POST); some: only these.
CREATE TABLE screen_pop_params (
  id INTEGER PRIMARY KEY,
  pop_id INTEGER NOT NULL REFERENCES screen_pops (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  -- call: one of the call's fields (callerNum, calledNum, callid, …); var: a variable the call's flow collected.
  source TEXT NOT NULL CHECK (source IN ('call', 'var')),
  source_key TEXT NOT NULL CHECK (length(source_key) BETWEEN 1 AND 64),
  UNIQUE (pop_id, position),
  UNIQUE (pop_id, name)
);

-- The origins (scheme://host[:port]) pops may come from: Huawei's "address whitelist".
CREATE TABLE screen_pop_origins (
  id INTEGER PRIMARY KEY,
  origin TEXT NOT NULL UNIQUE CHECK (length(origin) BETWEEN 8 AND 300),
  created_at TEXT NOT NULL
);

-- One row: Huawei's tenant limits, with the same defaults and ranges.
CREATE TABLE screen_pop_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  max_enabled_pops INTEGER NOT NULL DEFAULT 5 CHECK (max_enabled_pops BETWEEN 1 AND 10),
  max_params INTEGER NOT NULL DEFAULT 10 CHECK (max_params BETWEEN 1 AND 20),
  updated_at TEXT NOT NULL DEFAULT '1970-01-01T00:00:00.000Z'
);
INSERT INTO screen_pop_settings (id) VALUES (1);

-- Tokens for POST /api/click-to-call, used by CRMs that are not embedded. Only a hash is kept: the token is
-- shown once, when it is made.
CREATE TABLE click_to_call_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);
