-- Call forwarding per extension: always, when busy, when not answered (an extension or an outside number).
ALTER TABLE extensions ADD COLUMN forward_always TEXT;
ALTER TABLE extensions ADD COLUMN forward_busy TEXT;
ALTER TABLE extensions ADD COLUMN forward_no_answer TEXT;
ALTER TABLE extensions ADD COLUMN no_answer_seconds INTEGER NOT NULL DEFAULT 20 CHECK (no_answer_seconds BETWEEN 5 AND 120);
