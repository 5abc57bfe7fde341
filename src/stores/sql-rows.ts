import type { RefreshTokenRecord, SessionRecord, TokenRecord, User, UserPatch } from './types.ts';
import { userRecord } from './user-record.ts';

/** A database row as the SQL backends (SQLite and PostgreSQL) return it, shared by both. */
export type Row = Record<string, unknown>;

/** A boolean column: SQLite gives 0/1, PostgreSQL true/false. */
function bool(value: unknown): boolean {
  return value === true || value === 1;
}

/** Maps a `users` row to a `User`; shared by the SQL backends. */
export function toUser(row: Row): User {
  return userRecord({
    id: row.id as number,
    username: row.username as string,
    email: row.email as string,
    password: row.password as string,
    isActive: bool(row.is_active),
    isStaff: bool(row.is_staff),
    isSuperuser: bool(row.is_superuser),
    dateJoined: row.date_joined as number,
    lastLogin: row.last_login as number | null,
    tokensValidAfter: row.tokens_valid_after as number,
    pendingActivation: bool(row.pending_activation),
  });
}

/** Patchable user fields and their columns, shared by the SQL backends: the only names ever spliced into SQL. */
export const USER_PATCH_COLUMNS: readonly [keyof UserPatch, string][] = [
  ['username', 'username'],
  ['email', 'email'],
  ['password', 'password'],
  ['isActive', 'is_active'],
  ['isStaff', 'is_staff'],
  ['isSuperuser', 'is_superuser'],
  ['lastLogin', 'last_login'],
  ['tokensValidAfter', 'tokens_valid_after'],
  ['pendingActivation', 'pending_activation'],
];

/** Maps a `sessions` row to a `SessionRecord`; shared by the SQL backends. */
export function toSession(row: Row): SessionRecord {
  const session: SessionRecord = {
    id: row.id as string,
    keyHash: row.key_hash as string,
    userId: row.user_id as number,
    authHash: row.auth_hash as string,
    createdAt: row.created_at as number,
    lastSeenAt: row.last_seen_at as number,
    ip: row.ip as string,
    userAgent: row.user_agent as string,
  };
  // Only an imported session has a hard end; a Gatehouse session's record has no such key.
  if (row.expires_at !== null && row.expires_at !== undefined) session.expiresAt = row.expires_at as number;
  return session;
}

/** Maps an `api_tokens` row to a `TokenRecord`; shared by the SQL backends. */
export function toToken(row: Row): TokenRecord {
  return {
    id: row.id as string,
    keyHash: row.key_hash as string,
    userId: row.user_id as number,
    name: row.name as string,
    createdAt: row.created_at as number,
    lastUsedAt: row.last_used_at as number | null,
    expiresAt: row.expires_at as number | null,
  };
}

/** Maps a `refresh_tokens` row to a `RefreshTokenRecord`; shared by the SQL backends. */
export function toRefreshToken(row: Row): RefreshTokenRecord {
  return {
    jti: row.jti as string,
    familyId: row.family_id as string,
    userId: row.user_id as number,
    expiresAt: row.expires_at as number,
  };
}
