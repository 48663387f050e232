-- Who supervises which queue (issue 8): a supervisor sees the call records of the queues they supervise (and the
-- calls they took as an agent). Only users with the role supervisor are linked; the queue page sets them.
CREATE TABLE queue_supervisors (
  queue_id INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (queue_id, user_id)
) WITHOUT ROWID;
-- The records pages ask, per request, which queues a user supervises.
CREATE INDEX queue_supervisors_user ON queue_supervisors (user_id, queue_id);
