import type { StatementSync } from 'node:sqlite';
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
 * One batch of an import, inside the caller's transaction: prepared
 * statements (from `statement`, which may cache them), row by row, in
 * ImportChanges' order.
 *
 * ```ts
 * writeImportBatch((sql) => db.prepare(sql), { createUsers: users });
 * ```
 */
export function writeImportBatch(statement: (sql: string) => StatementSync, c: ImportChanges): void {
  const run = (sql: string, ...params: (string | number | null)[]) => statement(sql).run(...params);
  for (const u of c.createUsers ?? []) {
    run(
      `INSERT INTO users (id, username, email, password, is_active, is_staff, is_superuser, date_joined, last_login)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      u.id,
      u.username,
      u.email,
      u.password,
      Number(u.isActive),
      Number(u.isStaff),
      Number(u.isSuperuser),
      u.dateJoined,
      u.lastLogin,
    );
  }
  if (c.updateUsers?.length) {
    // One statement for every patch shape: `set_x` says whether column x changes.
    const sets = USER_COLUMNS.map(([, column]) => `${column} = iif(:set_${column}, :${column}, ${column})`);
    const update = statement(`UPDATE users SET ${sets.join(', ')} WHERE id = :id`);
    for (const { id, patch } of c.updateUsers) {
      const values: Record<string, string | number | null> = { id };
      for (const [key, column] of USER_COLUMNS) {
        const value = patch[key];
        values[`set_${column}`] = value === undefined ? 0 : 1;
        values[column] = typeof value === 'boolean' ? Number(value) : (value ?? null);
      }
      update.run(values);
    }
  }
  for (const t of c.createTokens ?? []) {
    run(
      `INSERT INTO api_tokens (id, key_hash, user_id, name, created_at, last_used_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      t.id,
      t.keyHash,
      t.userId,
      t.name,
      t.createdAt,
      t.lastUsedAt,
      t.expiresAt,
    );
  }
  for (const keyHash of c.deleteTokens ?? []) run('DELETE FROM api_tokens WHERE key_hash = ?', keyHash);
  for (const s of c.createSessions ?? []) {
    run(
      `INSERT INTO sessions (key_hash, id, user_id, auth_hash, created_at, last_seen_at, ip, user_agent, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      s.keyHash,
      s.id,
      s.userId,
      s.authHash,
      s.createdAt,
      s.lastSeenAt,
      s.ip,
      s.userAgent,
      s.expiresAt ?? null,
    );
  }
  for (const s of c.updateSessions ?? []) {
    run(
      'UPDATE sessions SET auth_hash = ?, expires_at = ? WHERE key_hash = ?',
      s.authHash,
      s.expiresAt,
      s.keyHash,
    );
  }
  for (const keyHash of c.deleteSessions ?? []) run('DELETE FROM sessions WHERE key_hash = ?', keyHash);
  for (const r of c.createRefreshTokens ?? []) {
    run(
      'INSERT INTO refresh_families (id, user_id, born_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
      r.familyId,
      r.userId,
      r.bornAt,
    );
    run(
      `INSERT INTO refresh_tokens (jti, family_id, user_id, expires_at, state) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (jti) DO NOTHING`,
      r.jti,
      r.familyId,
      r.userId,
      r.expiresAt,
      r.state,
    );
  }
  for (const jti of c.blacklistRefreshTokens ?? []) {
    run("UPDATE refresh_tokens SET state = 'blacklisted' WHERE jti = ? AND state = 'outstanding'", jti);
  }
  for (const e of c.ledger ?? []) {
    run(
      `INSERT INTO django_imports (kind, ref, fingerprint) VALUES (?, ?, ?)
       ON CONFLICT (kind, ref) DO UPDATE SET fingerprint = excluded.fingerprint`,
      e.kind,
      e.ref,
      e.fingerprint,
    );
  }
  for (const e of c.forget ?? []) run('DELETE FROM django_imports WHERE kind = ? AND ref = ?', e.kind, e.ref);
}
