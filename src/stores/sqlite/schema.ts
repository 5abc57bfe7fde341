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
    id: '0001_tables',
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

`,
  },
  {
    // Issue 8: a family row carries the revoked flag that a successor's insert
    // checks in the same statement, and the birth that the user's
    // tokens_valid_after is compared with. Existing families are born when
    // their time-ordered id says (its first 48 bits are milliseconds; an id
    // of another shape counts as born at 0, so any cut-off ends it).
    id: '0002_refresh_families_table',
    sql: `
CREATE TABLE refresh_families (
  id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  born_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
CREATE INDEX refresh_families_user_id ON refresh_families (user_id);

INSERT INTO refresh_families (id, user_id, born_at)
SELECT family_id, MIN(user_id),
  CASE WHEN length(family_id) = 32 AND NOT family_id GLOB '*[^0-9a-f]*'
      AND substr(family_id, 13, 1) = '7' AND substr(family_id, 17, 1) IN ('8', '9', 'a', 'b')
    THEN ${hexMillis('family_id')} ELSE 0 END
FROM refresh_tokens GROUP BY family_id;
`,
  },
  {
    // The account flows (djoser): who is waiting for an activation link, and look-ups by address.
    // Existing rows predate activation, so none of them is pending.
    id: '0003_accounts',
    sql: `
ALTER TABLE users ADD COLUMN pending_activation INTEGER NOT NULL DEFAULT 0;
CREATE INDEX users_email_lower ON users (lower(email));
`,
  },
  {
    // Second factors and passkeys. TOTP secrets and recovery codes are sealed
    // (AES-GCM, see mfa/secret-box.ts); pending logins keep only the SHA-256
    // of their token; passkeys hold public keys only.
    id: '0004_mfa',
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
  {
    // Moving from Django: a session imported from django_session dies at its
    // Django expire_date (NULL: Gatehouse's own idle and absolute limits
    // only), and the ledger of what each import run brought, so a re-run
    // updates what changed in Django and never undoes what Gatehouse did
    // since (see src/django/import/).
    id: '0005_django_import',
    sql: `
ALTER TABLE sessions ADD COLUMN expires_at INTEGER NULL;

CREATE TABLE django_imports (
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  PRIMARY KEY (kind, ref)
) WITHOUT ROWID;
`,
  },
]);

/** SQL for the number in the first 12 hex digits of `column` (SQLite has no hex-to-integer function). */
function hexMillis(column: string): string {
  const digits = Array.from(
    { length: 12 },
    (_, i) => `(instr('0123456789abcdef', substr(${column}, ${i + 1}, 1)) - 1) * ${16 ** (11 - i)}`,
  );
  return digits.join(' + ');
}
