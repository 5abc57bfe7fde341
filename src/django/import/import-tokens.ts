import { sha256Hex } from '../../internal/hash.ts';
import type { LedgerEntry } from '../../stores/import-target.ts';
import type { TokenRecord } from '../../stores/types.ts';
import { isDrfKey } from '../../tokens/opaque-token.ts';
import { hashRef, type ImportContext, skip, write } from './context.ts';
import { digest } from './fingerprint.ts';

/** The name an imported key shows in `GET /api/tokens/` (DRF's keys have none). */
export const IMPORTED_TOKEN_NAME = 'Imported from Django';

/**
 * `authtoken_token`, page by page: each DRF key becomes an API token of the
 * same user, stored as its SHA-256 (the ledger, too, names it by that hash),
 * so `Authorization: Token <40 hex>` keeps working. A key Gatehouse revoked
 * since the last run is not brought back; one whose row is no longer valid
 * (its user not imported) ends here too.
 *
 * ```ts
 * await importTokens(ctx);
 * ```
 */
export async function importTokens(ctx: ImportContext): Promise<void> {
  const { source, target, report } = ctx;
  const total = await source.count('authtoken_token');
  let done = 0;
  for (let after = ''; ; ) {
    const rows = await source.tokens(after, ctx.batchSize);
    if (rows.length === 0) break;
    after = rows[rows.length - 1].key;
    const keyHashes = rows.map((row) => sha256Hex(row.key));
    const [ledger, owners] = await Promise.all([
      target.ledger('token', keyHashes),
      target.tokenOwners(keyHashes),
    ]);
    const createTokens: TokenRecord[] = [];
    const deleteTokens: string[] = [];
    const entries: LedgerEntry[] = [];
    const forget: Pick<LedgerEntry, 'kind' | 'ref'>[] = [];
    rows.forEach((row, i) => {
      const keyHash = keyHashes[i];
      ctx.seen.token.add(keyHash);
      const userId = row.userId;
      const ref = `${hashRef(keyHash)} user=${Number.isSafeInteger(userId) ? userId : '?'}`;
      const why = !isDrfKey(row.key)
        ? 'not a key of 40 lower-case hex digits, as DRF makes'
        : !Number.isSafeInteger(userId)
          ? 'unreadable user_id'
          : !ctx.ownedUsers.has(String(userId))
            ? `user ${userId} was not imported`
            : null;
      const previous = ledger.get(keyHash);
      if (why !== null) {
        skip(ctx, { table: 'authtoken_token', ref, why });
        // Brought before, no longer valid: Gatehouse's copy ends as Django's use of it did.
        if (previous !== undefined && owners.has(keyHash)) endToken(ctx, keyHash, deleteTokens);
        return;
      }
      const fingerprint = digest([userId]);
      if (previous === undefined) {
        entries.push({ kind: 'token', ref: keyHash, fingerprint });
        if (owners.has(keyHash)) return;
        createTokens.push({
          id: ctx.random.bytes(8).toString('hex'),
          keyHash,
          userId: userId as number,
          name: IMPORTED_TOKEN_NAME,
          createdAt: row.created !== null && Number.isFinite(row.created) ? row.created : ctx.now,
          lastUsedAt: null,
          expiresAt: null,
        });
        report.tokens.created++;
      } else if (fingerprint !== previous && owners.has(keyHash)) {
        // The key moved to another user in Django's admin: end it; the next run brings it as new.
        endToken(ctx, keyHash, deleteTokens);
        forget.push({ kind: 'token', ref: keyHash });
      }
    });
    await write(ctx, { createTokens, deleteTokens, ledger: entries, forget });
    done += rows.length;
    ctx.events.progress('authtoken_token', done, total);
  }
}

function endToken(ctx: ImportContext, keyHash: string, deleteTokens: string[]): void {
  deleteTokens.push(keyHash);
  ctx.report.ended.tokens++;
  ctx.report.endedTokenKeyHashes.push(keyHash);
}
