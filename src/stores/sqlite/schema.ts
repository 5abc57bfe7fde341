import type { Migration } from './migrate.ts';

/**
 * The SQLite schema as an ordered migration list; append, never edit, once a
 * step has shipped. Times are INTEGER milliseconds since the epoch; booleans
 * are 0/1. Only hashes of session keys and API tokens are stored.
 *
 * ```ts
 * migrate(openSqliteDatabase('var/gatehouse.db'), sqliteMigrations);
 * ```
 */
export const sqliteMigrations: readonly Migration[] = Object.freeze([
  {
    id: '0001_initial',
    sql: `
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT UNIQUE NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  password TEXT NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1,
  is_staff INTEGER NOT NULL DEFAULT 0,
  is_superuser INTEGER NOT NULL DEFAULT 0,
  date_joined INTEGER NOT NULL,
  last_login INTEGER NULL,
  tokens_valid_after INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
  key_hash TEXT PRIMARY KEY,
  id TEXT UNIQUE NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  auth_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  key_hash TEXT UNIQUE NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NULL,
  expires_at INTEGER NULL
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE refresh_tokens (
  jti TEXT PRIMARY KEY,
  family_id TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'outstanding' CHECK (state IN ('outstanding', 'used', 'blacklisted'))
);
CREATE INDEX refresh_tokens_family_id ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_id ON refresh_tokens (user_id);

CREATE TABLE articles (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created INTEGER NOT NULL
);
CREATE INDEX articles_created ON articles (created DESC, id DESC);
`,
  },
  {
    // The account flows (djoser): who is waiting for an activation link, and look-ups by address.
    // Existing rows predate activation, so none of them is pending.
    id: '0002_accounts',
    sql: `
ALTER TABLE users ADD COLUMN pending_activation INTEGER NOT NULL DEFAULT 0;
CREATE INDEX users_email_lower ON users (lower(email));
`,
  },
]);
