-- The public register's search moves into memory (src/register/index.h): each server reads the
-- append-only log once and then only the entries appended since, so the database keeps one
-- row per entry and no secondary index but the entry id's. Eight indexes, a table of control
-- entries and a summary table cost every append (a million-entry import spent three quarters of
-- its time on them) and bought searches slower than posting lists in memory.
DROP INDEX register_entries_by_destination;
DROP INDEX register_entries_by_decision;
DROP INDEX register_entries_by_destination_decision;
DROP INDEX register_entries_by_year;
DROP INDEX register_entries_by_authority;
DROP INDEX register_entries_by_end_user;
DROP INDEX register_entries_by_exporter;
DROP INDEX register_entries_by_category;
DROP TABLE register_controls;
DROP TABLE register_summary;

-- Nodes keyed by (level, idx) and nothing else: stored in key order, without a second copy in
-- a rowid table.
CREATE TABLE register_nodes_by_key (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
INSERT INTO register_nodes_by_key (level, idx, hash) SELECT level, idx, hash FROM register_nodes;
DROP TABLE register_nodes;
ALTER TABLE register_nodes_by_key RENAME TO register_nodes;
CREATE TRIGGER register_nodes_no_update BEFORE UPDATE ON register_nodes
BEGIN SELECT RAISE(ABORT, 'register nodes are append-only'); END;
CREATE TRIGGER register_nodes_no_delete BEFORE DELETE ON register_nodes
BEGIN SELECT RAISE(ABORT, 'register nodes are append-only'); END;
