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

/**
 * A user's TOTP authenticator (one per user). `sealedSecret` is the base32
 * secret sealed by the MFA secret box (AES-GCM under a key derived from
 * SECRET_KEY): a dump of the store holds no usable secret.
 */
export interface TotpDevice {
  userId: number;
  sealedSecret: string;
  /** The RFC 6238 time step of the last code accepted: a code is good once. Null before any. */
  lastStep: number | null;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface TotpDeviceStore {
  get(userId: number): Promise<TotpDevice | null>;
  /** Saves a new device; false (nothing written) when the user already has one. */
  create(device: TotpDevice): Promise<boolean>;
  /**
   * Atomically records the use of `step`: true when the device still holds
   * `sealedSecret` and its last step is below `step` (or none), false otherwise
   * (a replay, or a device replaced in between).
   */
  useStep(userId: number, use: { sealedSecret: string; step: number; now: number }): Promise<boolean>;
  /** Replaces the sealed secret when it is still `from` (a re-seal under the current key). */
  reseal(userId: number, from: string, to: string): Promise<boolean>;
  /** Deletes the user's device; false when there was none. */
  delete(userId: number): Promise<boolean>;
}

/**
 * A user's recovery codes: the ten codes sealed together (so the unused ones
 * can be listed again) and a mask of the used ones (bit i for code i).
 */
export interface RecoveryCodeSet {
  userId: number;
  sealedCodes: string;
  usedMask: number;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface RecoveryCodeStore {
  get(userId: number): Promise<RecoveryCodeSet | null>;
  /** Saves a new set for the user with no code used, voiding any previous set. */
  replace(set: { userId: number; sealedCodes: string; createdAt: number }): Promise<void>;
  /**
   * Atomically marks code `index` used: true when the user's set is still
   * `sealedCodes` and that code was unused; false otherwise (already used —
   * of two concurrent uses one wins — or the set was replaced).
   */
  markUsed(userId: number, use: { sealedCodes: string; index: number; now: number }): Promise<boolean>;
  /** Replaces the sealed codes when they are still `from` (a re-seal under the current key). */
  reseal(userId: number, from: string, to: string): Promise<boolean>;
  delete(userId: number): Promise<boolean>;
}

/** Which login endpoint started a second step, so `verify` answers exactly as that one would have. */
export type PendingLoginKind = 'session' | 'token' | 'authtoken' | 'jwt' | 'browsable';

/** A login waiting for its second factor (see `mfa/pending-login.ts`). */
export interface PendingLogin {
  /** SHA-256 (hex) of the ephemeral token: a dump of the store yields no usable token. */
  tokenHash: string;
  kind: PendingLoginKind;
  userId: number;
  /** SHA-256 (hex) of what binds the login to its client: a cookie or the client address. */
  binding: string;
  createdAt: number;
  /** Codes tried so far, counted before each is checked. */
  attempts: number;
}

/**
 * Pending second steps: atomic verbs, as every Gatehouse store. Expiry is
 * part of each verb (a record past `expiresAt` is absent), so a backend's
 * clean-up is an optimisation, never the control.
 */
export interface PendingLoginStore {
  /** Saves a new record, which no verb returns once `now` reaches `expiresAt`. */
  create(record: PendingLogin, expiresAt: number): Promise<void>;
  /** The record, or null when absent or expired. Reads only. */
  get(tokenHash: string, now: number): Promise<PendingLogin | null>;
  /**
   * Atomically: when the record is alive and has had fewer than `maxAttempts`
   * attempts, add one and return it (with the new count); else null. Called
   * before a code is checked, so a burst of parallel guesses gets no more
   * checks than the limit (AUTH-09b).
   */
  recordAttempt(
    tokenHash: string,
    options: { now: number; maxAttempts: number },
  ): Promise<PendingLogin | null>;
  /** Atomically gets and deletes: of two concurrent successes, one gets the record and the other null. */
  consume(tokenHash: string, now: number): Promise<PendingLogin | null>;
  /** Drops records that expired before `now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
}

/**
 * A WebAuthn challenge handed to a browser, kept until its ceremony completes:
 * `registration:<user id>` (one per user; a new one replaces it) or
 * `authentication:<session_id>`.
 */
export interface WebAuthnChallenge {
  key: string;
  /** base64url, as the options carried it. */
  challenge: string;
  /** The user registering; null for a login. */
  userId: number | null;
  expiresAt: number;
}

export interface WebAuthnChallengeStore {
  /** Saves a challenge, replacing any under the same key. */
  put(challenge: WebAuthnChallenge): Promise<void>;
  /** Atomically gets and deletes (single use); null when absent or expired at `now`. */
  consume(key: string, now: number): Promise<WebAuthnChallenge | null>;
  /** Drops challenges that expired before `now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
}

/** A registered passkey (WebAuthn credential). Nothing in it is secret: it holds a public key. */
export interface PasskeyRecord {
  id: number;
  userId: number;
  /** base64url without padding; unique across all users. */
  credentialId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The signature counter last seen; each use must move it forward (or both stay 0). */
  counter: number;
  transports: string[];
  name: string;
  /** From the client's `credProps`; null when it did not say. */
  discoverable: boolean | null;
  /** A synced passkey (backup-eligible) rather than one bound to a single device. */
  backedUp: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

export type NewPasskeyRecord = Omit<PasskeyRecord, 'id'>;

export interface PasskeyStore {
  /** Saves a new passkey; null (nothing written) when its credential id is registered already, to anyone. */
  create(passkey: NewPasskeyRecord): Promise<PasskeyRecord | null>;
  getByCredentialId(credentialId: string): Promise<PasskeyRecord | null>;
  /** One of a user's passkeys; null when no such passkey of that user. */
  get(userId: number, id: number): Promise<PasskeyRecord | null>;
  /** Newest first. */
  listByUser(userId: number): Promise<PasskeyRecord[]>;
  rename(userId: number, id: number, name: string): Promise<PasskeyRecord | null>;
  delete(userId: number, id: number): Promise<PasskeyRecord | null>;
  /** Deletes every passkey of a user; returns how many. */
  deleteByUser(userId: number): Promise<number>;
  /**
   * Records a login: sets the counter and last use when the stored counter
   * is still `expectedCounter` (compare-and-set), so of two logins that read
   * the same counter only one moves it.
   */
  recordUse(id: number, use: { expectedCounter: number; counter: number; now: number }): Promise<boolean>;
}

export interface Stores {
  users: UserStore;
  sessions: SessionStore;
  tokens: TokenStore;
  refreshTokens: RefreshTokenStore;
  counters: CounterStore;
  /** Second factors and passkeys (see docs/mfa.md). */
  totpDevices: TotpDeviceStore;
  recoveryCodes: RecoveryCodeStore;
  pendingLogins: PendingLoginStore;
  webauthnChallenges: WebAuthnChallengeStore;
  passkeys: PasskeyStore;
  /** Answers when every backend answers; throws StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
