-- The public register (issue 7): an append-only Merkle log of published decisions.
-- register_entries holds each leaf's exact bytes (canonical JSON) and hash, plus columns read
-- from the entry for searching; register_nodes the hash of every complete subtree of 2^level
-- leaves (level >= 1), so that any proof reads O(log n) rows. Nothing is ever updated or
-- deleted: the triggers refuse it.
CREATE TABLE register_entries (
  idx INTEGER PRIMARY KEY,
  entry_id TEXT NOT NULL UNIQUE,
  leaf_input BLOB NOT NULL,
  leaf_hash BLOB NOT NULL,
  published_at TEXT NOT NULL,
  authority TEXT NOT NULL DEFAULT '',
  decision TEXT NOT NULL DEFAULT '',
  decision_date TEXT NOT NULL DEFAULT '',
  destination TEXT NOT NULL DEFAULT '',
  end_user_type TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  control_entries TEXT NOT NULL DEFAULT '',
  exporter TEXT NOT NULL DEFAULT '',
  value_band TEXT NOT NULL DEFAULT '',
  corrects TEXT NOT NULL DEFAULT ''
);
CREATE INDEX register_entries_by_destination ON register_entries (destination, idx);
CREATE INDEX register_entries_by_date ON register_entries (decision_date, idx);

CREATE TABLE register_nodes (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
);

CREATE TABLE register_checkpoints (
  size INTEGER PRIMARY KEY,
  root BLOB NOT NULL,
  note TEXT NOT NULL,
  signed_at TEXT NOT NULL
);

CREATE TRIGGER register_entries_no_update BEFORE UPDATE ON register_entries
BEGIN SELECT RAISE(ABORT, 'register entries are append-only'); END;
CREATE TRIGGER register_entries_no_delete BEFORE DELETE ON register_entries
BEGIN SELECT RAISE(ABORT, 'register entries are append-only'); END;
CREATE TRIGGER register_nodes_no_update BEFORE UPDATE ON register_nodes
BEGIN SELECT RAISE(ABORT, 'register nodes are append-only'); END;
CREATE TRIGGER register_nodes_no_delete BEFORE DELETE ON register_nodes
BEGIN SELECT RAISE(ABORT, 'register nodes are append-only'); END;
