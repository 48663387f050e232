-- Browser phone allowed: the agent whose device this extension is may register as it from the agent's page,
-- over the console's own origin (the controller proxies SIP over WebSocket to FreeSWITCH on loopback).
ALTER TABLE extensions ADD COLUMN browser_phone INTEGER NOT NULL DEFAULT 0 CHECK (browser_phone IN (0, 1));
