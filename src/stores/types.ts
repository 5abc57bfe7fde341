/**
 * The store interfaces. Every operation is one atomic verb: no caller does a
 * read-modify-write across the network. Times are milliseconds since the epoch.
 * A store that cannot reach its backend throws `StoreUnavailableError` (503).
 */

export interface User {
  id: number;
  /** NFKC-normalised, unique, case-sensitive (as Django's `username`). */
  username: string;
  email: string;
  /** The encoded password hash (PHC argon2id, or a Django format awaiting upgrade). */
  password: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  dateJoined: number;
  lastLogin: number | null;
  /**
   * Access JWTs issued before this instant (ms) are dead: logout-everywhere and
   * a password change advance it. 0 when never set.
   */
  tokensValidAfter: number;
  /**
   * Created inactive, waiting for its owner to follow the activation link,
   * and never active since: only such a user may (re)activate itself through
   * an activation link. An operator's deactivation never sets it. Absent
   * means false.
   */
  pendingActivation?: boolean;
}

export interface NewUser {
  username: string;
  email: string;
  password: string;
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
  /** Inactive until the activation link is followed (djoser's SEND_ACTIVATION_EMAIL); default false. */
  pendingActivation?: boolean;
  dateJoined: number;
}

export type UserPatch = Partial<
  Pick<
    User,
    | 'username'
    | 'email'
    | 'password'
    | 'isActive'
    | 'isStaff'
    | 'isSuperuser'
    | 'lastLogin'
    | 'tokensValidAfter'
    | 'pendingActivation'
  >
>;

/** Thrown by `UserStore.create` and `update` when the username belongs to another user. */
export class UsernameTakenError extends Error {
  constructor(username: string) {
    super(`username taken: ${username}`);
    this.name = 'UsernameTakenError';
  }
}

export interface UserStore {
  /** Throws `UsernameTakenError` when the username is taken. */
  create(user: NewUser): Promise<User>;
  getById(id: number): Promise<User | null>;
  /** Exact match on the (already normalised) username. */
  getByUsername(username: string): Promise<User | null>;
  /**
   * Every user whose address matches `email` ignoring case (Django's
   * `email__iexact`, ASCII case at least; the caller compares exactly what
   * it needs), in id order. Several users may share an address.
   */
  listByEmail(email: string): Promise<User[]>;
  /**
   * Returns the updated user, or null when it does not exist. Throws
   * `UsernameTakenError` when a new `username` belongs to another user.
   */
  update(id: number, patch: UserPatch): Promise<User | null>;
  /** Deletes the user and every row that belongs to it; false when there was none. */
  delete(id: number): Promise<boolean>;
  list(): Promise<User[]>;
}

export interface SessionRecord {
  /** Public id shown to the user: never the key, and the key cannot be derived from it. */
  id: string;
  /** SHA-256 hex of the cookie value. */
  keyHash: string;
  userId: number;
  /** Django's session auth hash: an HMAC over the user's password hash when the session was made. */
  authHash: string;
  createdAt: number;
  lastSeenAt: number;
  ip: string;
  userAgent: string;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  getByKeyHash(keyHash: string): Promise<SessionRecord | null>;
  /** Records activity; a store may skip writes that change nothing. */
  touch(keyHash: string, lastSeenAt: number): Promise<void>;
  /** Deletes by key hash; returns the deleted record (for the revocation signal). */
  delete(keyHash: string): Promise<SessionRecord | null>;
  /** Deletes one of a user's sessions by public id; null when no such session of that user. */
  deleteById(userId: number, id: string): Promise<SessionRecord | null>;
  listByUser(userId: number): Promise<SessionRecord[]>;
  /** Deletes every session of a user except `keepKeyHash`; returns the deleted key hashes. */
  deleteByUser(userId: number, keepKeyHash?: string): Promise<string[]>;
  /** Deletes sessions idle since before `idleBefore` or created before `createdBefore`; returns the count. */
  deleteExpired(idleBefore: number, createdBefore: number): Promise<number>;
  /**
   * Re-stamps a session's auth hash (Django's `get_user` after a match under
   * a fallback secret); a session that is gone stays gone.
   */
  setAuthHash(keyHash: string, authHash: string): Promise<void>;
}

export interface TokenRecord {
  /** Public id (also the path parameter of `DELETE /api/tokens/<id>/`). */
  id: string;
  /** SHA-256 hex of the whole key. */
  keyHash: string;
  userId: number;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
}

export interface TokenStore {
  create(token: TokenRecord): Promise<void>;
  getByKeyHash(keyHash: string): Promise<TokenRecord | null>;
  listByUser(userId: number): Promise<TokenRecord[]>;
  /** Deletes one of a user's tokens; null when no such token of that user (or of anyone, when userId is null). */
  delete(id: string, userId: number | null): Promise<TokenRecord | null>;
  /** Deletes every token of a user; returns the deleted key hashes. */
  deleteByUser(userId: number): Promise<string[]>;
  touch(id: string, lastUsedAt: number): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

export interface RefreshTokenRecord {
  jti: string;
  familyId: string;
  userId: number;
  expiresAt: number;
}

export type ConsumeResult =
  | { status: 'consumed'; record: RefreshTokenRecord }
  /** Already rotated or blacklisted: a replay. */
  | { status: 'spent'; record: RefreshTokenRecord }
  | { status: 'unknown' };

export interface RefreshTokenStore {
  /** Records a newly issued refresh token as outstanding. */
  issue(token: RefreshTokenRecord): Promise<void>;
  /** Atomically marks an outstanding token used: of two concurrent consumes, one wins. */
  consume(jti: string): Promise<ConsumeResult>;
  /** Blacklists one token; false when it was not outstanding. */
  blacklist(jti: string): Promise<boolean>;
  /** Whether the jti is spent (used or blacklisted). */
  isSpent(jti: string): Promise<boolean>;
  /** Blacklists every token of a family; returns the count. */
  revokeFamily(familyId: string): Promise<number>;
  /** Blacklists every token of a user; returns the count. */
  revokeUser(userId: number): Promise<number>;
  /** Deletes records whose expiry has passed (simplejwt's flushexpiredtokens). */
  deleteExpired(now: number): Promise<number>;
}

export interface CounterValue {
  count: number;
  /** When the window of this count ends (ms). */
  resetAt: number;
}

export interface CounterStore {
  /** Adds one; the window starts at the first increment and lasts `ttlMs`. Atomic. */
  increment(key: string, ttlMs: number): Promise<CounterValue>;
  /** The current count (0 when absent or past its window). */
  get(key: string): Promise<CounterValue>;
  reset(key: string): Promise<void>;
}

/** A revocation, carried to every instance so caches drop the entry at once. */
export type RevocationMessage =
  | { kind: 'session'; keyHash: string }
  | { kind: 'token'; keyHash: string }
  | { kind: 'user'; userId: number };

export interface RevocationBus {
  publish(message: RevocationMessage): Promise<void>;
  subscribe(listener: (message: RevocationMessage) => void): () => void;
  /** False while the connection is lost: caches stop serving (fail closed). */
  readonly healthy: boolean;
}

/** The reference server's example resource (the DRF tutorial's articles). */
export interface Article {
  id: number;
  title: string;
  body: string;
  authorId: number;
  created: number;
}

export interface ArticleStore {
  create(article: Omit<Article, 'id'>): Promise<Article>;
  get(id: number): Promise<Article | null>;
  /** Newest first. */
  list(): Promise<Article[]>;
  update(id: number, patch: Partial<Pick<Article, 'title' | 'body'>>): Promise<Article | null>;
  delete(id: number): Promise<boolean>;
}

export interface Stores {
  users: UserStore;
  sessions: SessionStore;
  tokens: TokenStore;
  refreshTokens: RefreshTokenStore;
  counters: CounterStore;
  articles: ArticleStore;
  /** Answers when every backend answers; throws StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
