/**
 * What the importer reads of a Django database, whatever holds it (SQLite or
 * PostgreSQL): the rows of auth_user, authtoken_token, django_session and
 * simplejwt's token_blacklist tables, in pages ordered by primary key
 * (keyset pagination: memory stays flat however many rows there are).
 * Values arrive as the database gives them, times as epoch milliseconds
 * (NaN when unreadable): every check is the importer's, row by row.
 *
 * ```ts
 * const source = await openDjangoSource('sqlite:///srv/django/db.sqlite3');
 * for (let page = await source.users(0, 1000); page.length; page = await source.users(page.at(-1)!.id as number, 1000)) { … }
 * await source.close();
 * ```
 */

/** The Django tables the importer reads; the last three are optional apps. */
export const DJANGO_TABLES = [
  'auth_user',
  'authtoken_token',
  'django_session',
  'token_blacklist_outstandingtoken',
  'token_blacklist_blacklistedtoken',
] as const;

export type DjangoTable = (typeof DJANGO_TABLES)[number];

/** An `auth_user` row (the fields Gatehouse keeps; names, groups and permissions stay behind). */
export interface DjangoUserRow {
  id: number;
  username: unknown;
  email: unknown;
  password: unknown;
  isActive: unknown;
  isStaff: unknown;
  isSuperuser: unknown;
  dateJoined: number | null;
  lastLogin: number | null;
}

/** An `authtoken_token` row: DRF's key is its primary key. */
export interface DjangoTokenRow {
  key: string;
  userId: unknown;
  created: number | null;
}

/** A `django_session` row. */
export interface DjangoSessionRow {
  sessionKey: string;
  sessionData: unknown;
  expireDate: number | null;
}

/**
 * A `token_blacklist_outstandingtoken` row, with whether
 * `token_blacklist_blacklistedtoken` names it. The token text simplejwt
 * keeps beside it is never read.
 */
export interface DjangoRefreshRow {
  id: number;
  userId: unknown;
  jti: unknown;
  createdAt: number | null;
  expiresAt: number | null;
  blacklisted: boolean;
}

/** What the session check needs of a user: Django's password hash and flag, read at the same time as the session. */
export interface DjangoUserSecret {
  password: unknown;
  isActive: unknown;
}

export interface DjangoSource {
  /** For messages: `SQLite file /srv/db.sqlite3`, `PostgreSQL database app`. */
  readonly label: string;
  /** Which of the tables exist. */
  tables(): Promise<Set<DjangoTable>>;
  count(table: DjangoTable): Promise<number>;
  users(afterId: number, limit: number): Promise<DjangoUserRow[]>;
  userSecrets(ids: readonly number[]): Promise<Map<number, DjangoUserSecret>>;
  tokens(afterKey: string, limit: number): Promise<DjangoTokenRow[]>;
  sessions(afterKey: string, limit: number): Promise<DjangoSessionRow[]>;
  refreshTokens(afterId: number, limit: number): Promise<DjangoRefreshRow[]>;
  close(): Promise<void>;
}
