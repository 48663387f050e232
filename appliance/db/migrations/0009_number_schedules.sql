-- Numbers' schedules (business hours per weekday and holidays, in a time zone), where calls go after hours, and
-- per-number switches: offered as outbound caller ID, call recording, post-call survey.
-- A number without a time zone has no schedule: it always takes calls.
ALTER TABLE numbers ADD COLUMN timezone TEXT;
ALTER TABLE numbers ADD COLUMN after_hours_kind TEXT NOT NULL DEFAULT 'hangup' CHECK (after_hours_kind IN ('extension', 'hangup'));
ALTER TABLE numbers ADD COLUMN after_hours_extension_id INTEGER REFERENCES extensions (id) ON DELETE RESTRICT
  CHECK ((after_hours_kind = 'extension') = (after_hours_extension_id IS NOT NULL));
-- On for numbers that existed before: outbound routes may already show them.
ALTER TABLE numbers ADD COLUMN is_caller_id INTEGER NOT NULL DEFAULT 1 CHECK (is_caller_id IN (0, 1));
ALTER TABLE numbers ADD COLUMN is_recorded INTEGER NOT NULL DEFAULT 0 CHECK (is_recorded IN (0, 1));
ALTER TABLE numbers ADD COLUMN has_survey INTEGER NOT NULL DEFAULT 0 CHECK (has_survey IN (0, 1));
CREATE INDEX numbers_after_hours_extension ON numbers (after_hours_extension_id);

-- Open intervals in the number's local time: minutes after midnight, [opens, closes), never past midnight.
CREATE TABLE number_hours (
  id INTEGER PRIMARY KEY,
  number_id INTEGER NOT NULL REFERENCES numbers (id) ON DELETE CASCADE,
  -- ISO weekday: 1 Monday … 7 Sunday.
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  opens INTEGER NOT NULL CHECK (opens BETWEEN 0 AND 1439),
  closes INTEGER NOT NULL CHECK (closes BETWEEN 1 AND 1440),
  CHECK (closes > opens)
);
CREATE INDEX number_hours_number ON number_hours (number_id);

-- Local dates on which the number is closed all day.
CREATE TABLE number_holidays (
  id INTEGER PRIMARY KEY,
  number_id INTEGER NOT NULL REFERENCES numbers (id) ON DELETE CASCADE,
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  label TEXT NOT NULL DEFAULT '',
  UNIQUE (number_id, date)
);
