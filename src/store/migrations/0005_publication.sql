-- Decisions waiting to be published in the register (issue 7): each is built when the decision
-- is taken and appended once its publication time has come (the authority's delay, default
-- none). Withheld fields are recorded per case with the rule that allows it.
CREATE TABLE register_queue (
  id INTEGER PRIMARY KEY,
  entry_id TEXT NOT NULL UNIQUE,
  leaf_input TEXT NOT NULL,
  publish_after TEXT NOT NULL,
  published_idx INTEGER
);
CREATE INDEX register_queue_due ON register_queue (published_idx, publish_after);

ALTER TABLE cases ADD COLUMN withheld_fields TEXT NOT NULL DEFAULT '[]';
