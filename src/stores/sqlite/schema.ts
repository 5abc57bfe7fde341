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
    // Second factors and passkeys. TOTP secrets and recovery codes are sealed
    // (AES-GCM, see mfa/secret-box.ts); pending logins keep only the SHA-256
    // of their token; passkeys hold public keys only.
    id: '0003_mfa',
    sql: `
CREATE TABLE totp_devices (
  user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  sealed_secret TEXT NOT NULL,
  last_step INTEGER NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NULL
);

CREATE TABLE recovery_codes (
  user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  sealed_codes TEXT NOT NULL,
  used_mask INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NULL
);

CREATE TABLE pending_logins (
  token_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  binding TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL
);
CREATE INDEX pending_logins_expires_at ON pending_logins (expires_at);
CREATE INDEX pending_logins_user_id ON pending_logins (user_id);

CREATE TABLE webauthn_challenges (
  id TEXT PRIMARY KEY,
  challenge TEXT NOT NULL,
  user_id INTEGER NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
);
CREATE INDEX webauthn_challenges_expires_at ON webauthn_challenges (expires_at);
CREATE INDEX webauthn_challenges_user_id ON webauthn_challenges (user_id);

CREATE TABLE passkeys (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  credential_id TEXT UNIQUE NOT NULL,
  public_key TEXT NOT NULL,
  counter INTEGER NOT NULL,
  transports TEXT NOT NULL,
  name TEXT NOT NULL,
  discoverable INTEGER NULL,
  backed_up INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NULL
);
CREATE INDEX passkeys_user_id ON passkeys (user_id);
`,
  },
]);
