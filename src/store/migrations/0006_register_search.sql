-- Searching the public register (issue 7) at a million entries: every filter of the public
-- search is an equality on an indexed column ending in idx, so a page of the newest matches is
-- read in index order without sorting; control entries (several per entry) get a table of
-- their own; register_summary counts entries per (authority, year, destination, decision,
-- category) as they are appended, so statistics and the annual report do not scan the log.
-- Entries corrected by a later entry are counted as the correction says.
ALTER TABLE register_entries ADD COLUMN year INTEGER NOT NULL DEFAULT 0;
ALTER TABLE register_entries ADD COLUMN exporter_key TEXT NOT NULL DEFAULT '';
-- What a list of results shows, so that listing does not parse every entry's JSON.
ALTER TABLE register_entries ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE register_entries ADD COLUMN destination_name TEXT NOT NULL DEFAULT '';

DROP TRIGGER register_entries_no_update;
UPDATE register_entries
SET year = CAST(substr(decision_date, 1, 4) AS INTEGER), exporter_key = lower(exporter);
CREATE TRIGGER register_entries_no_update BEFORE UPDATE ON register_entries
BEGIN SELECT RAISE(ABORT, 'register entries are append-only'); END;

CREATE INDEX register_entries_by_decision ON register_entries (decision, idx);
-- Refusals to one destination: the search journalists run most, and a rare pair.
CREATE INDEX register_entries_by_destination_decision ON register_entries (destination, decision, idx);
CREATE INDEX register_entries_by_year ON register_entries (year, idx);
CREATE INDEX register_entries_by_authority ON register_entries (authority, idx);
CREATE INDEX register_entries_by_end_user ON register_entries (end_user_type, idx);
CREATE INDEX register_entries_by_exporter ON register_entries (exporter_key, idx);
CREATE INDEX register_entries_by_category ON register_entries (category, idx);
-- Only corrections are indexed by what they correct (they are few), and no search reads the
-- decision date's index: each index costs every append.
CREATE INDEX register_entries_by_corrects ON register_entries (corrects) WHERE corrects <> '';
DROP INDEX register_entries_by_date;

CREATE TABLE register_controls (
  control TEXT NOT NULL,
  idx INTEGER NOT NULL,
  PRIMARY KEY (control, idx)
);
WITH RECURSIVE split (idx, control, rest) AS (
  SELECT idx, '', control_entries || ' ' FROM register_entries
  UNION ALL
  SELECT idx, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
  FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO register_controls (control, idx)
SELECT control, idx FROM split WHERE control <> '';

CREATE TABLE register_summary (
  authority TEXT NOT NULL,
  year INTEGER NOT NULL,
  destination TEXT NOT NULL,
  decision TEXT NOT NULL,
  category TEXT NOT NULL,
  entries INTEGER NOT NULL,
  PRIMARY KEY (authority, year, destination, decision, category)
);
INSERT INTO register_summary (authority, year, destination, decision, category, entries)
SELECT authority, year, destination, decision, category, COUNT(*) FROM register_entries
GROUP BY authority, year, destination, decision, category;
