-- Callers refused (or sent elsewhere) before any number routing.
CREATE TABLE blocked_callers (
  id INTEGER PRIMARY KEY,
  -- A number, a prefix ending in *, or 'anonymous' for callers who hide their number.
  pattern TEXT NOT NULL UNIQUE,
  action TEXT NOT NULL CHECK (action IN ('reject', 'extension')),
  destination_extension_id INTEGER REFERENCES extensions (id) ON DELETE RESTRICT,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  CHECK ((action = 'extension') = (destination_extension_id IS NOT NULL))
);
