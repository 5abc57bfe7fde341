import { isStorableText } from '../../internal/storable-text.ts';
import type { PasswordHashers } from '../../passwords/password-hashers.ts';
import type {
  ImportChanges,
  ImportedUser,
  ImportedUserPatch,
  LedgerEntry,
} from '../../stores/import-target.ts';
import { type ImportContext, skip, write } from './context.ts';
import { changedFields, fieldDigests } from './fingerprint.ts';
import type { DjangoUserRow } from './source.ts';

/** The fields a run compares with the ledger, in `ImportedUser`'s words. */
const FIELDS = [
  'username',
  'email',
  'password',
  'isActive',
  'isStaff',
  'isSuperuser',
  'dateJoined',
  'lastLogin',
] as const satisfies readonly (keyof ImportedUserPatch)[];

/**
 * `auth_user`, page by page. A user new to the ledger is created with its
 * Django id, unless Gatehouse already has that id or that username (another
 * account: reported, never merged). A user imported before gets, field by
 * field, only what Django changed since the last run, so what Gatehouse
 * changed meanwhile (a login's last_login, an upgraded password hash, a
 * deactivation) stays. A user Gatehouse deleted is not brought back.
 *
 * ```ts
 * await importUsers(ctx, hashers); // fills ctx.ownedUsers and ctx.seen.user
 * ```
 */
export async function importUsers(ctx: ImportContext, hashers: PasswordHashers): Promise<void> {
  const { source, target, report } = ctx;
  const total = await source.count('auth_user');
  let done = 0;
  for (let after = 0; ; ) {
    const rows = await source.users(after, ctx.batchSize);
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    const valid: ImportedUser[] = [];
    for (const row of rows) {
      ctx.seen.user.add(String(row.id));
      const checked = readUser(row);
      if (typeof checked === 'string') skip(ctx, { table: 'auth_user', ref: `id=${row.id}`, why: checked });
      else valid.push(checked);
    }
    const refs = valid.map((u) => String(u.id));
    const [ledger, current, owners] = await Promise.all([
      target.ledger('user', refs),
      target.users(valid.map((u) => u.id)),
      target.userIdsByUsername(valid.map((u) => u.username)),
    ]);
    const changes = {
      createUsers: [] as ImportedUser[],
      updateUsers: [] as { id: number; patch: ImportedUserPatch }[],
      ledger: [] as LedgerEntry[],
    } satisfies ImportChanges;
    for (const user of valid) {
      const ref = String(user.id);
      const fingerprint = fieldDigests(Object.fromEntries(FIELDS.map((f) => [f, user[f]])));
      const previous = ledger.get(ref);
      const mine = current.get(user.id);
      if (previous === undefined) {
        if (mine !== undefined) {
          skip(ctx, {
            table: 'auth_user',
            ref: `id=${ref}`,
            why: 'Gatehouse already has a user with this id',
          });
          continue;
        }
        const owner = owners.get(user.username);
        if (owner !== undefined) {
          skip(ctx, {
            table: 'auth_user',
            ref: `id=${ref}`,
            why: `Gatehouse user ${owner} has this username`,
          });
          continue;
        }
        changes.createUsers.push(user);
        changes.ledger.push({ kind: 'user', ref, fingerprint });
        ctx.ownedUsers.add(ref);
        report.users.created++;
        noteUnreadableHash(ctx, hashers, user);
        continue;
      }
      ctx.ownedUsers.add(ref);
      if (mine === undefined) continue; // deleted in Gatehouse since: it stays deleted
      const patch: ImportedUserPatch = {};
      for (const field of changedFields(fingerprint, previous) as Set<(typeof FIELDS)[number]>) {
        if (user[field] !== mine[field]) (patch as Record<string, unknown>)[field] = user[field];
      }
      if (patch.username !== undefined) {
        const owner = owners.get(patch.username);
        if (owner !== undefined && owner !== user.id) {
          skip(ctx, {
            table: 'auth_user',
            ref: `id=${ref}`,
            why: `Gatehouse user ${owner} has its new username`,
          });
          continue;
        }
      }
      if (Object.keys(patch).length > 0) {
        changes.updateUsers.push({ id: user.id, patch });
        report.users.updated++;
        report.changedUserIds.push(user.id);
        if (patch.password !== undefined) noteUnreadableHash(ctx, hashers, user);
      }
      if (fingerprint !== previous) changes.ledger.push({ kind: 'user', ref, fingerprint });
    }
    await write(ctx, changes);
    done += rows.length;
    ctx.events.progress('auth_user', done, total);
  }
}

/** The row as a Gatehouse user, or why not (a reason for the report). */
function readUser(row: DjangoUserRow): ImportedUser | string {
  if (!Number.isSafeInteger(row.id) || row.id < 1) return 'unreadable id';
  const { username, email, password } = row;
  if (!text(username, 1, 150)) return 'username is not text of 1 to 150 characters';
  if (!text(email, 0, 254)) return 'email is not text of at most 254 characters';
  if (!text(password, 0, 256)) return 'password is not text of at most 256 characters';
  const isActive = bool(row.isActive);
  const isStaff = bool(row.isStaff);
  const isSuperuser = bool(row.isSuperuser);
  if (isActive === null || isStaff === null || isSuperuser === null)
    return 'unreadable is_active, is_staff or is_superuser';
  if (row.dateJoined === null || !Number.isFinite(row.dateJoined)) return 'unreadable date_joined';
  if (row.lastLogin !== null && !Number.isFinite(row.lastLogin)) return 'unreadable last_login';
  return {
    id: row.id,
    username,
    email,
    password,
    isActive,
    isStaff,
    isSuperuser,
    dateJoined: row.dateJoined,
    lastLogin: row.lastLogin,
  };
}

/** Text every store can hold, of a length checked before anything else looks at it. */
function text(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max && isStorableText(value);
}

/** SQLite's 0/1, PostgreSQL's true/false. */
function bool(value: unknown): boolean | null {
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  return null;
}

/** A usable password in a format no hasher here reads (Django's crypt): the user is imported, and must reset it. */
function noteUnreadableHash(ctx: ImportContext, hashers: PasswordHashers, user: ImportedUser): void {
  const { password } = user;
  if (password === '' || password.startsWith('!')) return; // empty or unusable: no login, in Django either
  if (hashers.hashers.some((h) => h.identifies(password))) return;
  const dollar = password.indexOf('$');
  const algorithm = dollar > 0 && dollar <= 20 ? password.slice(0, dollar) : '';
  const label = /^[a-z0-9_]+$/.test(algorithm) ? ` (${algorithm})` : '';
  ctx.events.note(
    `Note: auth_user id=${user.id}: Gatehouse cannot check its password hash${label}; the user logs in again after a password reset.`,
  );
}
