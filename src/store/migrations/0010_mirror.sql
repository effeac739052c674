-- The aggregator (issue 9, `candor serve --aggregate URL ...`): the public registers of other
-- authorities, mirrored into this database's own log after every checkpoint and consistency
-- proof is verified as a monitor does. Per register: the key trusted on first contact, the
-- last verified checkpoint and the right edge of its tree (enough to hash further entries into
-- the next root). A register caught contradicting itself is flagged with the two signed
-- checkpoints that prove it, and no longer mirrored.
CREATE TABLE mirror_peers (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  key TEXT NOT NULL DEFAULT '',
  member_state TEXT NOT NULL DEFAULT '',
  size INTEGER NOT NULL DEFAULT 0,
  checkpoint TEXT NOT NULL DEFAULT '',
  frontier TEXT NOT NULL DEFAULT '',
  first_seen_at TEXT NOT NULL,
  checked_at TEXT NOT NULL DEFAULT '',
  verified_at TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT '',
  flagged INTEGER NOT NULL DEFAULT 0
);

-- Where each mirrored entry sits in its own authority's log.
CREATE TABLE mirror_entries (
  local_idx INTEGER PRIMARY KEY,
  peer_id INTEGER NOT NULL REFERENCES mirror_peers (id),
  peer_idx INTEGER NOT NULL
);

CREATE TABLE mirror_flags (
  id INTEGER PRIMARY KEY,
  peer_id INTEGER NOT NULL REFERENCES mirror_peers (id),
  kind TEXT NOT NULL,
  detail TEXT NOT NULL,
  earlier_checkpoint TEXT NOT NULL,
  later_checkpoint TEXT NOT NULL,
  detected_at TEXT NOT NULL
);
