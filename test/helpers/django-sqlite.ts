/**
 * A Django-schema SQLite file written directly, without Django: the tables
 * `manage.py migrate` makes for auth_user, DRF's authtoken, sessions and
 * simplejwt's token_blacklist (their DDL as Django 3.2 wrote it in
 * build.py's database), and rows in the formats Django writes them —
 * sessions signed and compressed as `SessionStore.encode` does, with
 * `get_session_auth_hash()` inside. For tests of the importer that need
 * many variations quickly, and for bench/import-django.ts (100,000 users);
 * test/interop/import-django.test.ts uses real Django instead.
 *
 * ```ts
 * const django = createDjangoSqlite(path);
 * insertUsers(django, [djangoUser(1)]);
 * insertSessions(django, [{ key, data: sessionData(user, SECRET), expireDate: '2999-01-01 00:00:00' }]);
 * django.close();
 * ```
 */
import { DatabaseSync } from 'node:sqlite';
import { djangoSessionAuthHash } from '../../src/django/session-auth-hash.ts';
import { dumps } from '../../src/django/signing.ts';

/** Django 3.2's DDL for the tables the importer reads (from `sqlite_master` of a migrated project). */
export const DJANGO_SQLITE_SCHEMA = `
CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL);
CREATE TABLE "authtoken_token" ("key" varchar(40) NOT NULL PRIMARY KEY, "created" datetime NOT NULL, "user_id" integer NOT NULL UNIQUE REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL);
CREATE INDEX "django_session_expire_date_a5c62663" ON "django_session" ("expire_date");
CREATE TABLE "token_blacklist_outstandingtoken" ("token" text NOT NULL, "created_at" datetime NULL, "expires_at" datetime NOT NULL, "user_id" integer NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "jti" varchar(255) NOT NULL UNIQUE, "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT);
CREATE INDEX "token_blacklist_outstandingtoken_user_id_83bc629a" ON "token_blacklist_outstandingtoken" ("user_id");
CREATE TABLE "token_blacklist_blacklistedtoken" ("blacklisted_at" datetime NOT NULL, "token_id" bigint NOT NULL UNIQUE REFERENCES "token_blacklist_outstandingtoken" ("id") DEFERRABLE INITIALLY DEFERRED, "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT);
`;

/** Creates the file with Django's tables. */
export function createDjangoSqlite(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec(DJANGO_SQLITE_SCHEMA);
  return db;
}

/** An `auth_user` row; datetimes as Django's SQLite backend writes them (naive UTC text). */
export interface DjangoUserFields {
  id: number;
  username: string;
  email: string;
  password: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  dateJoined: string;
  lastLogin: string | null;
}

/** A plausible user `id`, `user<id>`, with a PBKDF2-shaped hash (nothing here logs in with it). */
export function djangoUser(id: number, fields: Partial<DjangoUserFields> = {}): DjangoUserFields {
  return {
    id,
    username: `user${id}`,
    email: `user${id}@example.com`,
    password: `pbkdf2_sha256$260000$salt${String(id).padStart(18, '0')}$${'A'.repeat(43)}=`,
    isActive: true,
    isStaff: false,
    isSuperuser: false,
    dateJoined: '2024-01-02 03:04:05.678901',
    lastLogin: null,
    ...fields,
  };
}

/** Inserts users in one transaction. */
export function insertUsers(db: DatabaseSync, users: Iterable<DjangoUserFields>): void {
  const insert = db.prepare(
    `INSERT INTO auth_user (id, password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name)
     VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, '')`,
  );
  transaction(db, () => {
    for (const u of users) {
      insert.run(
        u.id,
        u.password,
        u.lastLogin,
        Number(u.isSuperuser),
        u.username,
        u.email,
        Number(u.isStaff),
        Number(u.isActive),
        u.dateJoined,
      );
    }
  });
}

/**
 * `SessionStore.encode` of a logged-in session (Django ≥ 3.1): the dict
 * `django.contrib.auth.login` writes, signed with `secretKey`, compressed.
 */
export function sessionData(user: { id: number; password: string }, secretKey: string): string {
  const data = {
    _auth_user_id: String(user.id),
    _auth_user_backend: 'django.contrib.auth.backends.ModelBackend',
    _auth_user_hash: djangoSessionAuthHash(user.password, secretKey),
  };
  return dumps(data, { key: secretKey, salt: 'django.contrib.sessions.SessionStore', compress: true });
}

export function insertSessions(
  db: DatabaseSync,
  sessions: Iterable<{ key: string; data: string; expireDate: string }>,
): void {
  const insert = db.prepare(
    'INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)',
  );
  transaction(db, () => {
    for (const s of sessions) insert.run(s.key, s.data, s.expireDate);
  });
}

export function insertTokens(
  db: DatabaseSync,
  tokens: Iterable<{ key: string; userId: number; created?: string }>,
): void {
  const insert = db.prepare('INSERT INTO authtoken_token (key, created, user_id) VALUES (?, ?, ?)');
  transaction(db, () => {
    for (const t of tokens) insert.run(t.key, t.created ?? '2024-01-02 03:04:05.678901', t.userId);
  });
}

/** simplejwt's outstanding rows (the `token` text is a stand-in: the importer never reads it), blacklisted when said. */
export function insertRefreshTokens(
  db: DatabaseSync,
  tokens: Iterable<{
    id: number;
    jti: string;
    userId: number | null;
    expiresAt: string;
    blacklisted?: boolean;
  }>,
): void {
  const insert = db.prepare(
    `INSERT INTO token_blacklist_outstandingtoken (id, token, created_at, expires_at, user_id, jti)
     VALUES (?, 'not read', '2024-01-02 03:04:05.678901', ?, ?, ?)`,
  );
  const blacklist = db.prepare(
    "INSERT INTO token_blacklist_blacklistedtoken (blacklisted_at, token_id) VALUES ('2024-01-02 03:04:05', ?)",
  );
  transaction(db, () => {
    for (const t of tokens) {
      insert.run(t.id, t.expiresAt, t.userId, t.jti);
      if (t.blacklisted) blacklist.run(t.id);
    }
  });
}

/** Django's naive UTC text for an epoch-milliseconds instant (microseconds as Django writes them). */
export function djangoDateTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 23)}000`;
}

function transaction(db: DatabaseSync, work: () => void): void {
  db.exec('BEGIN');
  try {
    work();
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
