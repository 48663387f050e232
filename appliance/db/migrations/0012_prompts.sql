-- The prompt library: audio that flows play and music classes callers hold on. The audio itself lives under
-- <dataDir>/sounds, named by hash (modules/prompts/prompt-files.ts); this table says what each file is.
CREATE TABLE prompts (
  id INTEGER PRIMARY KEY,
  -- People tell prompts apart by name: "Welcome" and "welcome" are one.
  name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(name) BETWEEN 1 AND 80),
  category TEXT NOT NULL CHECK (category IN ('prompt', 'music')),
  source TEXT NOT NULL CHECK (source IN ('upload', 'recording', 'tts')),
  -- What espeak-ng speaks, for text-to-speech prompts only.
  text TEXT,
  voice TEXT,
  rate INTEGER CHECK (rate IS NULL OR rate BETWEEN 80 AND 300),
  volume INTEGER CHECK (volume IS NULL OR volume BETWEEN 0 AND 200),
  -- sha256 hex: of the speech inputs (tts) or of the converted audio (uploads and recordings).
  hash TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
  status TEXT NOT NULL CHECK (status IN ('ready', 'rendering', 'failed')),
  error TEXT,
  duration_ms INTEGER,
  size_bytes INTEGER,
  original_name TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((source = 'tts') = (text IS NOT NULL AND voice IS NOT NULL AND rate IS NOT NULL AND volume IS NOT NULL)),
  CHECK (source = 'tts' OR status = 'ready'),
  CHECK (source <> 'tts' OR category = 'prompt')
);
-- Deleting a prompt keeps its file while another prompt has the same hash.
CREATE INDEX prompts_hash ON prompts (hash);
