-- foreign_keys: off
-- Numbers may send calls to an extension's voicemail box, in open hours or after hours. SQLite cannot change a
-- CHECK constraint in place: the table is rebuilt with the same columns (number_hours and number_holidays keep
-- pointing at it by name), and foreign keys are checked before the migration commits.
CREATE TABLE numbers_new (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  trunk_id INTEGER NOT NULL REFERENCES trunks (id) ON DELETE RESTRICT,
  is_inbound INTEGER NOT NULL DEFAULT 1 CHECK (is_inbound IN (0, 1)),
  destination_kind TEXT NOT NULL CHECK (destination_kind IN ('extension', 'voicemail', 'hangup')),
  destination_extension_id INTEGER REFERENCES extensions (id) ON DELETE RESTRICT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  timezone TEXT,
  after_hours_kind TEXT NOT NULL DEFAULT 'hangup' CHECK (after_hours_kind IN ('extension', 'voicemail', 'hangup')),
  after_hours_extension_id INTEGER REFERENCES extensions (id) ON DELETE RESTRICT,
  is_caller_id INTEGER NOT NULL DEFAULT 1 CHECK (is_caller_id IN (0, 1)),
  is_recorded INTEGER NOT NULL DEFAULT 0 CHECK (is_recorded IN (0, 1)),
  has_survey INTEGER NOT NULL DEFAULT 0 CHECK (has_survey IN (0, 1)),
  -- Both extension and voicemail name an extension; hang up names none.
  CHECK ((destination_kind = 'hangup') = (destination_extension_id IS NULL)),
  CHECK ((after_hours_kind = 'hangup') = (after_hours_extension_id IS NULL))
);
INSERT INTO numbers_new (id, number, trunk_id, is_inbound, destination_kind, destination_extension_id, created_at, updated_at,
  timezone, after_hours_kind, after_hours_extension_id, is_caller_id, is_recorded, has_survey)
  SELECT id, number, trunk_id, is_inbound, destination_kind, destination_extension_id, created_at, updated_at,
    timezone, after_hours_kind, after_hours_extension_id, is_caller_id, is_recorded, has_survey FROM numbers;
DROP TABLE numbers;
ALTER TABLE numbers_new RENAME TO numbers;
CREATE INDEX numbers_trunk ON numbers (trunk_id);
CREATE INDEX numbers_extension ON numbers (destination_extension_id);
CREATE INDEX numbers_after_hours_extension ON numbers (after_hours_extension_id);
