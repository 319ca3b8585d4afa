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
];

/** Bring the database up to the latest schema, one transaction per migration. */
export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema ${current} is newer than this Guichet (${MIGRATIONS.length}); upgrade Guichet`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return MIGRATIONS.length;
}
