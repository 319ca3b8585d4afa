import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order and recorded in `PRAGMA user_version`.
 * Never edit a migration that has shipped: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE people (
    id TEXT PRIMARY KEY,
    language TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE identities (
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (channel, address)
  );
  CREATE INDEX identities_person ON identities(person_id);
  CREATE TABLE conversations (
    person_id TEXT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    rev INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX cases_owner ON cases(owner_id);
  CREATE TABLE case_records (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX case_records_case ON case_records(case_id, kind, created_at);
  CREATE TABLE processed_messages (
    key TEXT PRIMARY KEY,
    processed_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX processed_messages_at ON processed_messages(processed_at);
  `,
  // 2: a platform may refuse delivery (a Telegram user blocked the bot).
  `
  ALTER TABLE identities ADD COLUMN unreachable_since INTEGER;
  `,
  // 3: channel credentials (WhatsApp creds and signal keys) live in the store, not in files.
  `
  CREATE TABLE channel_auth (
    channel TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (channel, key)
  ) WITHOUT ROWID;
  `,
  // 4: dates of a case and the reminders planned from them.
  `
  ALTER TABLE people ADD COLUMN reminders_paused INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE case_dates (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, kind)
  );
  CREATE TABLE nudges (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL,
    date_kind TEXT NOT NULL,
    date_version TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    text_key TEXT NOT NULL,
    params TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until INTEGER,
    claimed_by TEXT
  );
  CREATE INDEX nudges_due ON nudges(status, due_at);
  CREATE INDEX nudges_case ON nudges(case_id, date_kind, status);
  `,
  // 5: several cases per person (on someone's behalf, or helped), helpers and
  // their activity, link codes, the proof vault, retention and preferred address.
  `
  ALTER TABLE cases ADD COLUMN on_behalf INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE cases ADD COLUMN label TEXT;
  ALTER TABLE cases ADD COLUMN last_active_at INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE cases ADD COLUMN purge_notice_at INTEGER;
  UPDATE cases SET last_active_at = created_at;
  DROP INDEX cases_owner;
  CREATE UNIQUE INDEX cases_own ON cases(owner_id) WHERE on_behalf = 0;
  CREATE INDEX cases_by_owner ON cases(owner_id, created_at);
  CREATE INDEX cases_last_active ON cases(last_active_at);

  ALTER TABLE people ADD COLUMN active_case_id TEXT;
  CREATE INDEX people_active_case ON people(active_case_id) WHERE active_case_id IS NOT NULL;

  ALTER TABLE identities ADD COLUMN last_seen_at INTEGER;
  -- Until now a person had one identity and every message saved their conversation:
  -- its last save is when they last wrote (NULL when they never got that far).
  UPDATE identities SET last_seen_at = (SELECT c.updated_at FROM conversations c WHERE c.person_id = identities.person_id);

  CREATE INDEX nudges_person ON nudges(person_id);

  CREATE TABLE case_helpers (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, person_id)
  );
  CREATE INDEX case_helpers_person ON case_helpers(person_id);

  CREATE TABLE case_activity (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id TEXT,
    action TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX case_activity_case ON case_activity(case_id, at);
  CREATE INDEX case_activity_person ON case_activity(person_id) WHERE person_id IS NOT NULL;

  CREATE TABLE link_codes (
    id TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL,
    helper_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    helper_name TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  );
  CREATE INDEX link_codes_hash ON link_codes(code_hash);
  CREATE INDEX link_codes_helper ON link_codes(helper_id);

  CREATE TABLE link_failures (
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    at INTEGER NOT NULL
  );
  CREATE INDEX link_failures_person ON link_failures(person_id, at);
  CREATE INDEX link_failures_at ON link_failures(at);

  CREATE TABLE vault_items (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT,
    document_date TEXT,
    mime_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    channel TEXT NOT NULL,
    sender_id TEXT,
    sealed BLOB NOT NULL
  );
  CREATE INDEX vault_items_case ON vault_items(case_id);
  CREATE INDEX vault_items_sender ON vault_items(sender_id) WHERE sender_id IS NOT NULL;
  `,
  // Link codes say what the helper could not choose (their channel, a username or the last
  // digits of their number); wrong tries are counted per sending identity, not per person,
  // so that erasing one's data does not reset them.
  `
  ALTER TABLE link_codes ADD COLUMN helper_channel TEXT NOT NULL DEFAULT 'terminal';
  ALTER TABLE link_codes ADD COLUMN helper_hint TEXT;
  CREATE INDEX link_codes_helper_created ON link_codes(helper_id, created_at);
  DROP TABLE link_failures;
  CREATE TABLE link_tries (
    who TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX link_tries_who ON link_tries(who, at);
  CREATE INDEX link_tries_at ON link_tries(at);
  `,
  // Handoffs to volunteers belong to the case and to the person who opened them: erased with
  // either. One open per case, enforced by the partial unique index.
  `
  CREATE TABLE handoffs (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    helpdesk TEXT NOT NULL,
    external_id TEXT,
    external_data TEXT,
    pseudonym TEXT NOT NULL,
    status TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    closed_at INTEGER,
    waiting_since INTEGER,
    flagged_at INTEGER,
    feedback TEXT
  );
  CREATE UNIQUE INDEX handoffs_open_case ON handoffs(case_id) WHERE status = 'open';
  CREATE INDEX handoffs_case ON handoffs(case_id, opened_at);
  CREATE INDEX handoffs_person ON handoffs(person_id);
  CREATE UNIQUE INDEX handoffs_external ON handoffs(helpdesk, external_id) WHERE external_id IS NOT NULL;
  CREATE INDEX handoffs_waiting ON handoffs(waiting_since) WHERE status = 'open' AND flagged_at IS NULL;
  CREATE INDEX handoffs_closed ON handoffs(closed_at) WHERE status = 'closed';
  CREATE INDEX handoffs_open ON handoffs(opened_at) WHERE status = 'open';
  CREATE TABLE handoff_messages (
    id TEXT PRIMARY KEY,
    handoff_id TEXT NOT NULL REFERENCES handoffs(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    sender TEXT NOT NULL,
    author TEXT,
    text TEXT,
    vault_item_id TEXT,
    state TEXT NOT NULL
  );
  CREATE INDEX handoff_messages_handoff ON handoff_messages(handoff_id, at);
  CREATE INDEX handoff_messages_pending ON handoff_messages(sender, at) WHERE state = 'pending';
  CREATE TABLE helpdesk_erasures (
    id TEXT PRIMARY KEY,
    helpdesk TEXT NOT NULL,
    external_id TEXT NOT NULL,
    external_data TEXT,
    queued_at INTEGER NOT NULL
  );
  CREATE INDEX helpdesk_erasures_queued ON helpdesk_erasures(queued_at);
  `,
  // The SMS sent through Kannel: delivery state and the daily budget. The number is kept as an HMAC only.
  `
  CREATE TABLE sms_log (
    id TEXT PRIMARY KEY,
    who TEXT NOT NULL,
    parts INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX sms_log_who ON sms_log(who, created_at);
  CREATE INDEX sms_log_created ON sms_log(created_at);
  CREATE TABLE sms_notices (
    who TEXT NOT NULL,
    day TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (who, day)
  );
  `,
];

/**
 * Bring the database up to the latest schema, one transaction per migration.
 * Each takes the write lock first (IMMEDIATE) and reads the version inside
 * it, so two processes starting together on a new folder apply each
 * migration once: the second finds it done.
 */
export function migrate(db: Database): number {
  const step = db.transaction((): boolean => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new Error(`database schema ${current} is newer than this Guichet (${MIGRATIONS.length}); upgrade Guichet`);
    }
    if (current === MIGRATIONS.length) return false;
    db.exec(MIGRATIONS[current]!);
    db.pragma(`user_version = ${current + 1}`);
    return true;
  });
  while (step.immediate()) {
    // one migration applied; look again
  }
  return MIGRATIONS.length;
}
