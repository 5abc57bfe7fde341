/**
 * What `gatehouse importdjango` writes through: a bulk, import-side interface
 * beside the hot-path stores (which it does not widen). Lookups take a whole
 * batch of keys; `apply` writes a batch of changes in one transaction, all or
 * nothing. A ledger (`django_imports`) remembers, per Django row, a
 * fingerprint of what the last run brought, so a re-run can tell what changed
 * in Django since from what changed in Gatehouse since.
 *
 * ```ts
 * const target = await openSqliteImportTarget('var/db.sqlite3');
 * const seen = await target.ledger('user', ['1', '2']); // Map { '1' => '{"username":…}' }
 * await target.apply({ createUsers: [user], ledger: [{ kind: 'user', ref: '1', fingerprint }] });
 * await target.syncUserIds();
 * await target.close();
 * ```
 */
import type { SessionRecord, TokenRecord } from './types.ts';

/** The Django table a ledger entry stands for: auth_user, authtoken_token, django_session, simplejwt's outstanding tokens. */
export type ImportKind = 'user' | 'token' | 'session' | 'refresh';

/**
 * One Django row as the last run brought it. `ref` names the row without a
 * secret: the user id, the SHA-256 of a DRF key or session key (what
 * Gatehouse stores anyway), a refresh token's jti.
 */
export interface LedgerEntry {
  kind: ImportKind;
  ref: string;
  fingerprint: string;
}

/** A user row with the id Django gave it. Times are epoch milliseconds. */
export interface ImportedUser {
  id: number;
  username: string;
  email: string;
  password: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  dateJoined: number;
  lastLogin: number | null;
}

/** The fields of a user an import may change. */
export type ImportedUserPatch = Partial<Omit<ImportedUser, 'id'>>;

/** A refresh token simplejwt issued, recorded as the first (and only) token of a family of its own. */
export interface ImportedRefreshToken {
  jti: string;
  familyId: string;
  userId: number;
  expiresAt: number;
  /** The family's birth: when simplejwt issued the token. */
  bornAt: number;
  /** `blacklisted`: simplejwt blacklisted it; presenting it is then a replay, as for any spent token. */
  state: 'outstanding' | 'blacklisted';
}

/** A refresh token's state as Gatehouse holds it. */
export type StoredRefreshState = 'outstanding' | 'used' | 'blacklisted';

/** One batch of writes, applied in one transaction in this order: users, tokens, sessions, refresh tokens, ledger. */
export interface ImportChanges {
  createUsers?: readonly ImportedUser[];
  updateUsers?: readonly { id: number; patch: ImportedUserPatch }[];
  createTokens?: readonly TokenRecord[];
  /** Key hashes of tokens Django no longer has. */
  deleteTokens?: readonly string[];
  createSessions?: readonly SessionRecord[];
  updateSessions?: readonly { keyHash: string; authHash: string; expiresAt: number }[];
  /** Key hashes of sessions Django no longer has (a logout there). */
  deleteSessions?: readonly string[];
  createRefreshTokens?: readonly ImportedRefreshToken[];
  /** jtis of outstanding tokens simplejwt has blacklisted since; a token Gatehouse already spent is left alone. */
  blacklistRefreshTokens?: readonly string[];
  /** Entries to record (insert or replace). */
  ledger?: readonly LedgerEntry[];
  /** Entries to drop: rows gone from Django, whose end has been carried over. */
  forget?: readonly Pick<LedgerEntry, 'kind' | 'ref'>[];
}

export interface ImportTarget {
  /** The ledger's fingerprints of these refs (absent: never imported). */
  ledger(kind: ImportKind, refs: readonly string[]): Promise<Map<string, string>>;
  /** The ledger's entries of a kind after `afterRef`, in ref order: how rows gone from Django are found. */
  ledgerPage(kind: ImportKind, afterRef: string, limit: number): Promise<LedgerEntry[]>;
  /** Gatehouse's users with these ids. */
  users(ids: readonly number[]): Promise<Map<number, ImportedUser>>;
  /** The ids of Gatehouse's users with these usernames. */
  userIdsByUsername(usernames: readonly string[]): Promise<Map<string, number>>;
  /** The owners of the API tokens with these key hashes. */
  tokenOwners(keyHashes: readonly string[]): Promise<Map<string, number>>;
  /** The owners of the sessions with these key hashes. */
  sessionOwners(keyHashes: readonly string[]): Promise<Map<string, number>>;
  /** The states of the refresh tokens with these jtis. */
  refreshTokenStates(jtis: readonly string[]): Promise<Map<string, StoredRefreshState>>;
  /** Writes one batch in one transaction; throws (and writes nothing of it) on any failure. */
  apply(changes: ImportChanges): Promise<void>;
  /** Moves the user id sequence past every id in the table, so the next sign-up takes a fresh one. */
  syncUserIds(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An ImportTarget for a database that does not exist yet: every lookup finds
 * nothing and nothing can be written. What `--dry-run` reads when there is no
 * Gatehouse database to compare with (a dry run creates none).
 *
 * ```ts
 * const target = emptyImportTarget();
 * await target.users([1]); // Map {}
 * ```
 */
export function emptyImportTarget(): ImportTarget {
  const none = async () => new Map();
  return {
    ledger: none,
    ledgerPage: async () => [],
    users: none,
    userIdsByUsername: none,
    tokenOwners: none,
    sessionOwners: none,
    refreshTokenStates: none,
    async apply() {
      throw new Error('an empty import target is read-only');
    },
    async syncUserIds() {},
    async close() {},
  };
}
