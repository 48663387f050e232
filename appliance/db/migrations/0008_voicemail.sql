-- Voicemail per extension: FreeSWITCH's mod_voicemail keeps the box and its messages; the PIN opens it by phone.
-- Off for existing extensions: they have no PIN yet.
ALTER TABLE extensions ADD COLUMN voicemail_enabled INTEGER NOT NULL DEFAULT 0 CHECK (voicemail_enabled IN (0, 1));
ALTER TABLE extensions ADD COLUMN voicemail_pin TEXT CHECK (voicemail_pin IS NULL OR (voicemail_pin NOT GLOB '*[^0-9]*' AND length(voicemail_pin) BETWEEN 4 AND 10));
-- Outbound limits of this extension; NULL follows the outbound policy's per-extension limits.
ALTER TABLE extensions ADD COLUMN out_concurrent INTEGER CHECK (out_concurrent IS NULL OR out_concurrent BETWEEN 1 AND 100);
ALTER TABLE extensions ADD COLUMN out_per_hour INTEGER CHECK (out_per_hour IS NULL OR out_per_hour BETWEEN 1 AND 10000);
