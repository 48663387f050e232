-- The numbers an agent of the queue may show as caller ID when dialling out from the workbench (one per line;
-- each must be one of our numbers marked as a caller ID). Empty: the outbound route's caller ID.
ALTER TABLE queues ADD COLUMN caller_ids TEXT NOT NULL DEFAULT '';
