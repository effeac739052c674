-- A register entry is stored as its signed bytes and nothing derived from them: what searches
-- and pages show is read from those bytes (the in-memory index parses each entry once), so no
-- column can say something the verified entry does not, and an import writes a row barely
-- larger than the entry. The leaf hash is recomputed when a proof needs it; the publication
-- time is kept once per appended batch. `corrects` stays a column, indexed where set, to find
-- the entry that corrects another.
CREATE TABLE register_batches (
  first_idx INTEGER PRIMARY KEY,
  published_at TEXT NOT NULL
);
INSERT INTO register_batches (first_idx, published_at)
SELECT e.idx, e.published_at FROM register_entries e
WHERE e.idx = 0 OR e.published_at <> (SELECT p.published_at FROM register_entries p
                                      WHERE p.idx = e.idx - 1);

CREATE TABLE register_entries_bytes (
  idx INTEGER PRIMARY KEY,
  entry_id TEXT NOT NULL UNIQUE,
  leaf_input BLOB NOT NULL,
  corrects TEXT NOT NULL DEFAULT ''
);
INSERT INTO register_entries_bytes (idx, entry_id, leaf_input, corrects)
SELECT idx, entry_id, leaf_input, corrects FROM register_entries;
DROP TABLE register_entries;
ALTER TABLE register_entries_bytes RENAME TO register_entries;
CREATE INDEX register_entries_by_corrects ON register_entries (corrects) WHERE corrects <> '';
CREATE TRIGGER register_entries_no_update BEFORE UPDATE ON register_entries
BEGIN SELECT RAISE(ABORT, 'register entries are append-only'); END;
CREATE TRIGGER register_entries_no_delete BEFORE DELETE ON register_entries
BEGIN SELECT RAISE(ABORT, 'register entries are append-only'); END;
CREATE TRIGGER register_batches_no_update BEFORE UPDATE ON register_batches
BEGIN SELECT RAISE(ABORT, 'register batches are append-only'); END;
CREATE TRIGGER register_batches_no_delete BEFORE DELETE ON register_batches
BEGIN SELECT RAISE(ABORT, 'register batches are append-only'); END;
