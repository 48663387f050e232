-- Extensions: internal users that phones (desk or browser) register as.
CREATE TABLE extensions (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE CHECK (number GLOB '[1-9]*' AND length(number) BETWEEN 2 AND 6),
  display_name TEXT NOT NULL,
  -- FreeSWITCH's digest authentication needs the password itself (or an A1 hash bound to a domain that may
  -- change with the server's address), and it is in the generated directory anyway.
  sip_password TEXT NOT NULL,
  dnd INTEGER NOT NULL DEFAULT 0 CHECK (dnd IN (0, 1)),
  is_enabled INTEGER NOT NULL DEFAULT 1 CHECK (is_enabled IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
