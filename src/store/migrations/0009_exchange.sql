-- Authorities working together (issue 9, Art. 16 Regulation (EU) 2021/821): the signed
-- messages sent to and received from other member states' authorities, the denials they
-- notify (and this authority's own), consultations, and the denials an application matches.
-- Times of delivery are Unix microseconds, so that due messages are found by comparing
-- numbers; the others are RFC 3339 text as elsewhere.

-- A message waits here until its recipient acknowledges it; it is written in the same
-- transaction as the decision that causes it, so it is never lost.
CREATE TABLE exchange_outbox (
  id INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL,
  peer TEXT NOT NULL,
  kind TEXT NOT NULL,
  envelope TEXT NOT NULL,
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_us INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  delivered_at TEXT,
  UNIQUE (message_id, peer)
);
CREATE INDEX exchange_outbox_due ON exchange_outbox (delivered_at, next_attempt_us);

-- Every message received, as signed by its sender (the signature is the proof of who said
-- what). A message delivered twice is stored once.
CREATE TABLE exchange_inbox (
  id INTEGER PRIMARY KEY,
  sender TEXT NOT NULL,
  message_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  envelope TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (sender, message_id)
);

-- Denials (refusals and revocations) of every authority, this one's included.
CREATE TABLE denials (
  id INTEGER PRIMARY KEY,
  authority TEXT NOT NULL,
  reference TEXT NOT NULL,
  case_id INTEGER REFERENCES cases (id),
  decision TEXT NOT NULL,
  denied_on TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  destination TEXT NOT NULL,
  control_entries TEXT NOT NULL,
  end_user TEXT NOT NULL,
  end_user_country TEXT NOT NULL DEFAULT '',
  end_use TEXT NOT NULL DEFAULT '',
  criteria TEXT NOT NULL DEFAULT '[]',
  reasons TEXT NOT NULL DEFAULT '',
  received_at TEXT NOT NULL,
  withdrawn_at TEXT,
  withdrawn_reason TEXT NOT NULL DEFAULT '',
  UNIQUE (authority, reference)
);
CREATE INDEX denials_by_destination ON denials (destination, withdrawn_at);

-- Consultations on a denial: outgoing ones ask the denying authority about one of this
-- authority's cases; incoming ones are another authority asking about this one's denial.
CREATE TABLE consultations (
  id INTEGER PRIMARY KEY,
  direction TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
  peer TEXT NOT NULL,
  message_id TEXT NOT NULL,
  denial_id INTEGER REFERENCES denials (id),
  denial_reference TEXT NOT NULL,
  case_id INTEGER REFERENCES cases (id),
  subject TEXT NOT NULL,
  question TEXT NOT NULL DEFAULT '',
  requested_at TEXT NOT NULL,
  position TEXT,
  answer TEXT,
  answered_by INTEGER REFERENCES users (id),
  answered_at TEXT,
  UNIQUE (direction, peer, message_id)
);
CREATE INDEX consultations_by_case ON consultations (case_id);

-- The valid denials an application was found to match, why, and how the hold on its grant
-- was lifted: by the consultation's answer or by the officer's reasons for granting anyway.
CREATE TABLE denial_matches (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases (id),
  denial_id INTEGER NOT NULL REFERENCES denials (id),
  explanation TEXT NOT NULL,
  found_at TEXT NOT NULL,
  consultation_id INTEGER REFERENCES consultations (id),
  override_reason TEXT,
  overridden_by INTEGER REFERENCES users (id),
  overridden_at TEXT,
  UNIQUE (case_id, denial_id)
);
