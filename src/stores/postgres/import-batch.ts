import type pg from 'pg';
import type { ImportChanges, ImportedUserPatch } from '../import-target.ts';

/** The columns an import may change, and the patch keys they come from: the only names spliced into SQL. */
const USER_COLUMNS: readonly [keyof ImportedUserPatch, string][] = [
  ['username', 'username'],
  ['email', 'email'],
  ['password', 'password'],
  ['isActive', 'is_active'],
  ['isStaff', 'is_staff'],
  ['isSuperuser', 'is_superuser'],
  ['dateJoined', 'date_joined'],
  ['lastLogin', 'last_login'],
];

/**
 * One batch of an import on a transaction's connection: one statement per
 * kind of row, over arrays (`unnest`), in ImportChanges' order.
 *
 * ```ts
 * await transaction(pool, (client) => writeImportBatch(client, { createUsers: users }));
 * ```
 */
export async function writeImportBatch(client: pg.PoolClient, c: ImportChanges): Promise<void> {
  const users = c.createUsers ?? [];
  if (users.length) {
    await client.query(
      `INSERT INTO users (id, username, email, password, is_active, is_staff, is_superuser, date_joined, last_login)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::bool[], $7::bool[],
         $8::bigint[], $9::bigint[])`,
      [
        users.map((u) => u.id),
        users.map((u) => u.username),
        users.map((u) => u.email),
        users.map((u) => u.password),
        users.map((u) => u.isActive),
        users.map((u) => u.isStaff),
        users.map((u) => u.isSuperuser),
        users.map((u) => u.dateJoined),
        users.map((u) => u.lastLogin),
      ],
    );
  }
  for (const { id, patch } of c.updateUsers ?? []) {
    const values: unknown[] = [id];
    const sets: string[] = [];
    for (const [key, column] of USER_COLUMNS) {
      if (patch[key] === undefined) continue;
      values.push(patch[key]);
      sets.push(`${column} = $${values.length}`);
    }
    if (sets.length) await client.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $1`, values);
  }
  const tokens = c.createTokens ?? [];
  if (tokens.length) {
    await client.query(
      `INSERT INTO api_tokens (id, key_hash, user_id, name, created_at, last_used_at, expires_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[])`,
      [
        tokens.map((t) => t.id),
        tokens.map((t) => t.keyHash),
        tokens.map((t) => t.userId),
        tokens.map((t) => t.name),
        tokens.map((t) => t.createdAt),
        tokens.map((t) => t.lastUsedAt),
        tokens.map((t) => t.expiresAt),
      ],
    );
  }
  if (c.deleteTokens?.length) {
    await client.query('DELETE FROM api_tokens WHERE key_hash = ANY($1::text[])', [c.deleteTokens]);
  }
  const sessions = c.createSessions ?? [];
  if (sessions.length) {
    await client.query(
      `INSERT INTO sessions (key_hash, id, user_id, auth_hash, created_at, last_seen_at, ip, user_agent, expires_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::text[],
         $8::text[], $9::bigint[])`,
      [
        sessions.map((s) => s.keyHash),
        sessions.map((s) => s.id),
        sessions.map((s) => s.userId),
        sessions.map((s) => s.authHash),
        sessions.map((s) => s.createdAt),
        sessions.map((s) => s.lastSeenAt),
        sessions.map((s) => s.ip),
        sessions.map((s) => s.userAgent),
        sessions.map((s) => s.expiresAt ?? null),
      ],
    );
  }
  const updated = c.updateSessions ?? [];
  if (updated.length) {
    await client.query(
      `UPDATE sessions SET auth_hash = u.auth_hash, expires_at = u.expires_at
       FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u (key_hash, auth_hash, expires_at)
       WHERE sessions.key_hash = u.key_hash`,
      [updated.map((s) => s.keyHash), updated.map((s) => s.authHash), updated.map((s) => s.expiresAt)],
    );
  }
  if (c.deleteSessions?.length) {
    await client.query('DELETE FROM sessions WHERE key_hash = ANY($1::text[])', [c.deleteSessions]);
  }
  const refresh = c.createRefreshTokens ?? [];
  if (refresh.length) {
    await client.query(
      `INSERT INTO refresh_families (id, user_id, born_at)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) ON CONFLICT (id) DO NOTHING`,
      [refresh.map((r) => r.familyId), refresh.map((r) => r.userId), refresh.map((r) => r.bornAt)],
    );
    await client.query(
      `INSERT INTO refresh_tokens (jti, family_id, user_id, expires_at, state)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[]) ON CONFLICT (jti) DO NOTHING`,
      [
        refresh.map((r) => r.jti),
        refresh.map((r) => r.familyId),
        refresh.map((r) => r.userId),
        refresh.map((r) => r.expiresAt),
        refresh.map((r) => r.state),
      ],
    );
  }
  if (c.blacklistRefreshTokens?.length) {
    await client.query(
      "UPDATE refresh_tokens SET state = 'blacklisted' WHERE jti = ANY($1::text[]) AND state = 'outstanding'",
      [c.blacklistRefreshTokens],
    );
  }
  const ledger = c.ledger ?? [];
  if (ledger.length) {
    await client.query(
      `INSERT INTO django_imports (kind, ref, fingerprint)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (kind, ref) DO UPDATE SET fingerprint = excluded.fingerprint`,
      [ledger.map((e) => e.kind), ledger.map((e) => e.ref), ledger.map((e) => e.fingerprint)],
    );
  }
  const forget = c.forget ?? [];
  if (forget.length) {
    await client.query(
      `DELETE FROM django_imports d USING unnest($1::text[], $2::text[]) AS f (kind, ref)
       WHERE d.kind = f.kind AND d.ref = f.ref`,
      [forget.map((e) => e.kind), forget.map((e) => e.ref)],
    );
  }
}
