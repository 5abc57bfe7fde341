import type { SessionRecord, TokenRecord, User } from '../stores/types.ts';

/**
 * DRF's DateTimeField: ISO 8601 in UTC with `Z`, microseconds when non-zero
 * (`2026-11-22T12:00:00.123000Z`), none when zero (`2026-11-22T12:00:00Z`).
 */
export function drfDate(ms: number | null): string | null {
  if (ms === null) return null;
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.replace('.000Z', 'Z') : iso.replace('Z', '000Z');
}

/** `{"id","username","email"}`: the user as the session endpoints answer it. */
export function userJson(user: User) {
  return { id: user.id, username: user.username, email: user.email };
}

/** A session as its owner sees it: a public id, never the key. */
export function sessionJson(session: SessionRecord, currentKeyHash: string | null) {
  return {
    id: session.id,
    created: drfDate(session.createdAt),
    last_seen: drfDate(session.lastSeenAt),
    ip: session.ip,
    user_agent: session.userAgent,
    current: session.keyHash === currentKeyHash,
  };
}

/** An API token as its owner sees it: never the key. */
export function tokenJson(token: TokenRecord) {
  return {
    id: token.id,
    name: token.name,
    created: drfDate(token.createdAt),
    last_used: drfDate(token.lastUsedAt),
    expires: drfDate(token.expiresAt),
  };
}
