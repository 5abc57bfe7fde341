import { isStorableText } from '../../internal/storable-text.ts';
import type { ImportedRefreshToken, LedgerEntry } from '../../stores/import-target.ts';
import { type ImportContext, skip, write } from './context.ts';
import { digest } from './fingerprint.ts';

/**
 * simplejwt's `token_blacklist_outstandingtoken` (with
 * `token_blacklist_blacklistedtoken`), page by page: each refresh token
 * simplejwt issued that has not expired becomes the one token of a family of
 * its own, born when simplejwt issued it — outstanding, so the token a client
 * holds refreshes once more under Gatehouse (signed with Django's key, it
 * verifies while that key is SECRET_KEY or one of its fallbacks), or spent
 * when simplejwt blacklisted it, so it stays dead and a replay is seen as one.
 * A token blacklisted in Django since the last run is blacklisted here,
 * unless Gatehouse has used it already. The `token` column (the whole JWT) is
 * never read.
 *
 * ```ts
 * await importRefreshTokens(ctx);
 * ```
 */
export async function importRefreshTokens(ctx: ImportContext): Promise<void> {
  const { source, target, report } = ctx;
  const total = await source.count('token_blacklist_outstandingtoken');
  let done = 0;
  for (let after = 0; ; ) {
    const rows = await source.refreshTokens(after, ctx.batchSize);
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    const jtis = rows.flatMap((row) => (jtiOk(row.jti) ? [row.jti] : []));
    const [ledger, states] = await Promise.all([
      target.ledger('refresh', jtis),
      target.refreshTokenStates(jtis),
    ]);
    const createRefreshTokens: ImportedRefreshToken[] = [];
    const blacklistRefreshTokens: string[] = [];
    const entries: LedgerEntry[] = [];
    for (const row of rows) {
      const ref = `id=${row.id}`;
      const { jti, userId } = row;
      if (!jtiOk(jti)) {
        skip(ctx, { table: 'token_blacklist_outstandingtoken', ref, why: 'unreadable jti' });
        continue;
      }
      ctx.seen.refresh.add(jti);
      let why: string | null = null;
      if (userId === null) why = 'no user (deleted in Django)';
      else if (!Number.isSafeInteger(userId) || !ctx.ownedUsers.has(String(userId)))
        why = `user ${String(userId)} was not imported`;
      else if (row.expiresAt === null || !Number.isFinite(row.expiresAt)) why = 'unreadable expires_at';
      else if (row.expiresAt <= ctx.now) why = 'expired';
      if (why !== null) {
        skip(ctx, { table: 'token_blacklist_outstandingtoken', ref: `${ref} jti=${jti}`, why });
        continue;
      }
      const fingerprint = digest([row.blacklisted, userId, row.expiresAt]);
      const previous = ledger.get(jti);
      if (previous === undefined) {
        entries.push({ kind: 'refresh', ref: jti, fingerprint });
        if (states.has(jti)) continue;
        const bornAt = row.createdAt !== null && Number.isFinite(row.createdAt) ? row.createdAt : ctx.now;
        createRefreshTokens.push({
          jti,
          familyId: `django-${jti}`,
          userId: userId as number,
          expiresAt: row.expiresAt as number,
          bornAt: Math.min(bornAt, ctx.now),
          state: row.blacklisted ? 'blacklisted' : 'outstanding',
        });
        report.refreshTokens.created++;
      } else if (fingerprint !== previous) {
        entries.push({ kind: 'refresh', ref: jti, fingerprint });
        if (row.blacklisted && states.get(jti) === 'outstanding') {
          blacklistRefreshTokens.push(jti);
          report.refreshTokens.updated++;
        }
      }
    }
    await write(ctx, { createRefreshTokens, blacklistRefreshTokens, ledger: entries });
    done += rows.length;
    ctx.events.progress('token_blacklist_outstandingtoken', done, total);
  }
}

/** simplejwt's jti: a uuid4 hex, in a column of at most 255 characters. */
function jtiOk(jti: unknown): jti is string {
  return typeof jti === 'string' && jti.length >= 1 && jti.length <= 255 && isStorableText(jti);
}
