import { sha256Hex } from '../../internal/hash.ts';
import { sessionAuthHash } from '../../sessions/session-auth-hash.ts';
import { isWellFormedSessionKey } from '../../sessions/session-key.ts';
import type { ImportChanges, LedgerEntry } from '../../stores/import-target.ts';
import type { SessionRecord } from '../../stores/types.ts';
import { matchSessionAuthHash } from '../session-auth-hash.ts';
import { type DecodedSession, decodeSessionData } from '../session-data.ts';
import { hashRef, type ImportContext, skip, write } from './context.ts';
import { digest } from './fingerprint.ts';
import type { DjangoSessionRow } from './source.ts';

type Unreadable = 'key' | 'bad-signature' | 'pickle' | 'malformed';

const UNREADABLE: Record<Unreadable, string> = {
  key: 'not a key of 32 lower-case letters and digits, as Django makes',
  'bad-signature': 'signed by none of the Django secret keys given',
  pickle: 'pickled (PickleSerializer); Gatehouse never unpickles',
  malformed: 'unreadable session_data',
};

/**
 * `django_session`, page by page: a session comes over when Django itself
 * would log its user in with it now — a key of Django's shape, data signed
 * by one of Django's keys (either format, never unpickled), `expire_date`
 * still ahead, a user imported and active in Django, and an auth hash that
 * matches that user's password in Django (Django's `get_user`). It is stored
 * by the SHA-256 of its key with Django's `expire_date` as its hard end, and
 * its auth hash is made anew under Gatehouse's SECRET_KEY over the same
 * password: the session lives exactly as long as that password does.
 *
 * A session Gatehouse ended since the last run is not brought back; one that
 * changed in Django (a longer expire_date) is updated; one brought before
 * that Django no longer honours ends here too.
 *
 * ```ts
 * await importSessions(ctx);
 * ```
 */
export async function importSessions(ctx: ImportContext): Promise<void> {
  const { source, target, report } = ctx;
  const total = await source.count('django_session');
  let done = 0;
  for (let after = ''; ; ) {
    const rows = await source.sessions(after, ctx.batchSize);
    if (rows.length === 0) break;
    after = rows[rows.length - 1].sessionKey;
    const keyHashes = rows.map((row) => sha256Hex(row.sessionKey));
    const decoded = rows.map((row) => decode(ctx, row));
    const userIds = [
      ...new Set(decoded.flatMap((d) => (d.ok && d.userId !== null ? [Number(d.userId)] : []))),
    ];
    const [ledger, owners, secrets] = await Promise.all([
      target.ledger('session', keyHashes),
      target.sessionOwners(keyHashes),
      source.userSecrets(userIds.filter((id) => Number.isSafeInteger(id))),
    ]);
    const changes = {
      createSessions: [] as SessionRecord[],
      updateSessions: [] as { keyHash: string; authHash: string; expiresAt: number }[],
      deleteSessions: [] as string[],
      ledger: [] as LedgerEntry[],
    } satisfies ImportChanges;
    rows.forEach((row, i) => {
      const keyHash = keyHashes[i];
      ctx.seen.session.add(keyHash);
      const session = decoded[i];
      const userId = session.ok && session.userId !== null ? Number(session.userId) : null;
      const ref = `${hashRef(keyHash)}${userId !== null && Number.isSafeInteger(userId) ? ` user=${userId}` : ''}`;
      const secret = userId === null ? undefined : secrets.get(userId);
      let why: string | null = null;
      if (!session.ok) why = UNREADABLE[session.reason];
      else if (row.expireDate === null || !Number.isFinite(row.expireDate)) why = 'unreadable expire_date';
      else if (row.expireDate <= ctx.now) why = 'expired';
      else if (userId === null) why = 'anonymous: nobody logged in';
      else if (!Number.isSafeInteger(userId) || !ctx.ownedUsers.has(String(userId)))
        why = `user ${session.userId} was not imported`;
      else if (secret === undefined || typeof secret.password !== 'string')
        why = `user ${userId} is gone from Django`;
      else if (
        matchSessionAuthHash(session.authHash, secret.password, {
          secrets: ctx.djangoSecretKeys,
          legacySha1: true,
        }) < 0
      )
        why = "stale: its auth hash does not match the user's password (changed since)";
      else if (secret.isActive !== true && secret.isActive !== 1) why = `user ${userId} is inactive`;
      const previous = ledger.get(keyHash);
      if (why !== null) {
        skip(ctx, { table: 'django_session', ref, why });
        // Brought before, no longer honoured by Django: Gatehouse's copy ends too.
        if (previous !== undefined && owners.has(keyHash)) {
          changes.deleteSessions.push(keyHash);
          report.ended.sessions++;
          report.endedSessionKeyHashes.push(keyHash);
        }
        return;
      }
      const expiresAt = row.expireDate as number;
      const authHash = sessionAuthHash(secret?.password as string, ctx.authHashKey);
      const fingerprint = digest([row.sessionData, expiresAt]);
      if (previous === undefined) {
        changes.ledger.push({ kind: 'session', ref: keyHash, fingerprint });
        if (owners.has(keyHash)) return;
        changes.createSessions.push({
          id: ctx.random.bytes(16).toString('hex'),
          keyHash,
          userId: userId as number,
          authHash,
          createdAt: ctx.now,
          lastSeenAt: ctx.now,
          ip: '',
          userAgent: '',
          expiresAt,
        });
        report.sessions.created++;
      } else if (fingerprint !== previous && owners.get(keyHash) === userId) {
        changes.updateSessions.push({ keyHash, authHash, expiresAt });
        changes.ledger.push({ kind: 'session', ref: keyHash, fingerprint });
        report.sessions.updated++;
      }
    });
    await write(ctx, changes);
    done += rows.length;
    ctx.events.progress('django_session', done, total);
  }
}

function decode(
  ctx: ImportContext,
  row: DjangoSessionRow,
): DecodedSession | { ok: false; reason: Unreadable } {
  if (!isWellFormedSessionKey(row.sessionKey)) return { ok: false, reason: 'key' };
  if (typeof row.sessionData !== 'string') return { ok: false, reason: 'malformed' };
  return decodeSessionData(row.sessionData, { secretKeys: ctx.djangoSecretKeys });
}
