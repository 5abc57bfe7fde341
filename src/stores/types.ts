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
}

export interface NewUser {
  username: string;
  email: string;
  password: string;
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
  dateJoined: number;
}

export type UserPatch = Partial<
  Pick<User, 'email' | 'password' | 'isActive' | 'isStaff' | 'isSuperuser' | 'lastLogin' | 'tokensValidAfter'>
>;

/** Thrown by `UserStore.create` when the username exists. */
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
  /** Returns the updated user, or null when it does not exist. */
  update(id: number, patch: UserPatch): Promise<User | null>;
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
  /**
   * A hard end (ms), besides the idle and absolute limits: the session is dead
   * from this instant on. Absent for Gatehouse's own sessions; a session
   * imported from Django carries its `expire_date`.
   */
  expiresAt?: number;
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
  /**
   * Deletes sessions idle since before `idleBefore`, created before
   * `createdBefore`, or (given `now`) whose `expiresAt` is not after `now`; returns the count.
   */
  deleteExpired(idleBefore: number, createdBefore: number, now?: number): Promise<number>;
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

/**
 * Every refresh token descended from one login. A family is live while it is
 * not revoked and was born no earlier than its user's `tokensValidAfter`:
 * logout-everywhere and a password change end every family born before them,
 * including one whose first token is still being minted.
 */
export interface RefreshFamily {
  id: string;
  userId: number;
  /** The instant (ms) of the check that allowed the login, never later. */
  bornAt: number;
}

/** What the store knows of a token: its record and its family's birth. */
export interface KnownRefreshToken {
  record: RefreshTokenRecord;
  bornAt: number;
}

/** What the store knows of a refresh token now; 'outstanding' is what `consume` turns into 'consumed'. */
export type RefreshTokenStatus =
  | ({ status: 'outstanding' } & KnownRefreshToken)
  /** Already rotated or blacklisted: presenting it again is a replay. */
  | ({ status: 'spent' } & KnownRefreshToken)
  /** Never used, but its family is revoked or predates the user's cut-off. */
  | ({ status: 'revoked' } & KnownRefreshToken)
  | { status: 'unknown' };

export type ConsumeResult =
  | ({ status: 'consumed' } & KnownRefreshToken)
  | Exclude<RefreshTokenStatus, { status: 'outstanding' }>;

/**
 * Refresh tokens in families. Rotation is consume (one winner) then issue;
 * every verb that makes or uses a token decides atomically against the
 * family's revoked flag and the user's `tokensValidAfter`, read in the same
 * statement (or under the same lock), so a revocation and a rotation that meet
 * leave no live token behind in any interleaving.
 */
export interface RefreshTokenStore {
  /**
   * Records a new family with its first token, unless the user's
   * `tokensValidAfter` is past `family.bornAt` or the user is gone: then
   * nothing is stored and the answer is false.
   */
  startFamily(family: RefreshFamily, first: RefreshTokenRecord): Promise<boolean>;
  /** Records a successor in a live family; false, and nothing stored, once the family is not live. */
  issue(token: RefreshTokenRecord): Promise<boolean>;
  /** Atomically marks an outstanding token of a live family used: of two concurrent consumes, one wins. */
  consume(jti: string): Promise<ConsumeResult>;
  /** Blacklists one outstanding token of a live family; false when there is none. */
  blacklist(jti: string): Promise<boolean>;
  /** What `consume` would answer now, changing nothing (the verify endpoint). */
  inspect(jti: string): Promise<RefreshTokenStatus>;
  /** Revokes a family: no token of it is consumed, and no successor issued, from now on. Returns 1, or 0 when already revoked or unknown. */
  revokeFamily(familyId: string): Promise<number>;
  /** Revokes every family of a user; returns how many it revoked (ones revoked before do not count). */
  revokeUser(userId: number): Promise<number>;
  /** Deletes tokens whose expiry has passed (simplejwt's flushexpiredtokens), and families left empty; returns the token count. */
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
  /**
   * Takes one back from the window that ends at `resetAt` (what `increment`
   * answered), atomically: never below zero, and nothing once that window has
   * ended or another has begun. Returns whether it took one back.
   */
  decrement(key: string, resetAt: number): Promise<boolean>;
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
  /** Resolves once every instance's cache has applied it; throws StoreUnavailableError when that is not known. */
  publish(message: RevocationMessage): Promise<void>;
  subscribe(listener: (message: RevocationMessage) => void): () => void;
  /** False while this instance cannot prove it hears every revocation: caches stop serving (fail closed). */
  readonly healthy: boolean;
  /**
   * After `publish` threw: how long (ms) until no cache on any instance can still hold a copy
   * read before the revocation (the caches' TTL and a margin). Revocations waits this long.
   */
  readonly settleMs?: number;
}

export interface Stores {
  users: UserStore;
  sessions: SessionStore;
  tokens: TokenStore;
  refreshTokens: RefreshTokenStore;
  counters: CounterStore;
  /** Answers when every backend answers; throws StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
