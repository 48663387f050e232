-- A random secret per trunk that a registration trunk puts in the contact it registers with the carrier. The carrier
-- sends calls to that contact, so a call carrying the secret came from the carrier; one without it is refused
-- (freeswitch-conf/README.md, "Calls from carriers"). Existing trunks get 128 bits from SQLite's generator, which the
-- operating system seeds; new trunks get theirs from the trunk service.
ALTER TABLE trunks ADD COLUMN contact_secret TEXT CHECK (contact_secret IS NULL OR length(contact_secret) = 32);
UPDATE trunks SET contact_secret = lower(hex(randomblob(16)));
