-- Licensing casework (issue 6): accounts, cases with their items, parties and documents, the
-- checks run on submit, screening hits and their clearance, advice, misuse evidence added by
-- staff, and the case timeline. Times are RFC 3339 UTC text; JSON columns hold canonical JSON.
CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  country TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('exporter', 'officer', 'adviser', 'admin')),
  organisation_id INTEGER REFERENCES organisations (id),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  CHECK ((role = 'exporter') = (organisation_id IS NOT NULL))
);

-- Only the SHA-256 of a session token is kept, so a copy of the database opens no session.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_attempts (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  client TEXT NOT NULL,
  attempted_at TEXT NOT NULL,
  succeeded INTEGER NOT NULL
);
CREATE INDEX login_attempts_by_email ON login_attempts (email, attempted_at);
CREATE INDEX login_attempts_by_client ON login_attempts (client, attempted_at);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  created_by INTEGER NOT NULL REFERENCES users (id),
  licence_type TEXT NOT NULL CHECK (licence_type IN ('individual', 'global')),
  state TEXT NOT NULL,
  title TEXT NOT NULL,
  destination TEXT NOT NULL,
  end_use TEXT NOT NULL DEFAULT '',
  end_user_type TEXT NOT NULL DEFAULT 'other_government',
  assigned_to INTEGER REFERENCES users (id),
  target_date TEXT,
  submitted_at TEXT,
  decided_at TEXT,
  licence_number TEXT UNIQUE,
  decision_reasons TEXT NOT NULL DEFAULT '',
  criteria TEXT NOT NULL DEFAULT '[]',
  conditions TEXT NOT NULL DEFAULT '[]',
  red_flags TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX cases_by_organisation ON cases (organisation_id, id);
CREATE INDEX cases_by_state ON cases (state, target_date);

CREATE TABLE case_items (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases (id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  declared_entry TEXT NOT NULL DEFAULT '',
  facts TEXT NOT NULL DEFAULT '{}',
  quantity INTEGER NOT NULL,
  value_minor INTEGER NOT NULL,
  currency TEXT NOT NULL
);
CREATE INDEX case_items_by_case ON case_items (case_id, id);

CREATE TABLE case_parties (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases (id),
  role TEXT NOT NULL CHECK (role IN ('consignee', 'end_user', 'intermediary')),
  name TEXT NOT NULL,
  country TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'organisation',
  address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_parties_by_case ON case_parties (case_id, id);

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases (id),
  kind TEXT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  uploaded_by INTEGER NOT NULL REFERENCES users (id),
  uploaded_at TEXT NOT NULL
);
CREATE INDEX documents_by_case ON documents (case_id, id);

-- Every run of a check is kept; the newest of each kind is the current one.
CREATE TABLE checks (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases (id),
  kind TEXT NOT NULL CHECK (kind IN ('classification', 'screening', 'risk')),
  run_at TEXT NOT NULL,
  run_by INTEGER REFERENCES users (id),
  data_versions TEXT NOT NULL,
  result TEXT NOT NULL
);
CREATE INDEX checks_by_case ON checks (case_id, kind, id);

CREATE TABLE screening_hits (
  id INTEGER PRIMARY KEY,
  check_id INTEGER NOT NULL REFERENCES checks (id),
  case_id INTEGER NOT NULL REFERENCES cases (id),
  party_id INTEGER REFERENCES case_parties (id),
  party_name TEXT NOT NULL,
  list TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  matched_name TEXT NOT NULL,
  score REAL NOT NULL,
  band TEXT NOT NULL,
  explanation TEXT NOT NULL,
  cleared_by INTEGER REFERENCES users (id),
  cleared_at TEXT,
  clear_reason TEXT
);
CREATE INDEX screening_hits_by_case ON screening_hits (case_id, check_id);

CREATE TABLE advice_requests (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases (id),
  requested_by INTEGER NOT NULL REFERENCES users (id),
  adviser_id INTEGER NOT NULL REFERENCES users (id),
  question TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  answer TEXT,
  answered_at TEXT
);
CREATE INDEX advice_by_adviser ON advice_requests (adviser_id, answered_at);

CREATE TABLE evidence_records (
  id INTEGER PRIMARY KEY,
  case_id INTEGER REFERENCES cases (id),
  country TEXT NOT NULL,
  end_user TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  source_title TEXT NOT NULL,
  source_url TEXT NOT NULL,
  occurred_on TEXT NOT NULL DEFAULT '',
  added_by INTEGER NOT NULL REFERENCES users (id),
  added_at TEXT NOT NULL
);

-- The case timeline. Like the audit trail it only grows.
CREATE TABLE case_events (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases (id),
  occurred_at TEXT NOT NULL,
  actor_id INTEGER REFERENCES users (id),
  action TEXT NOT NULL,
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  visible_to_exporter INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);

CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
  SELECT RAISE(ABORT, 'case events are append-only');
END;

CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
  SELECT RAISE(ABORT, 'case events are append-only');
END;
