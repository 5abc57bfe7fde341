import type { ImportedUserPatch, ImportKind } from '../../stores/import-target.ts';
import { type ImportContext, write } from './context.ts';

/**
 * After a complete scan: ledger entries whose Django row is gone (a logout,
 * a revoked key, a deleted user in Django since the last run). A session or
 * DRF key Gatehouse still holds ends; a user is deactivated, never deleted
 * (what Gatehouse holds of it stays, and `gatehouse activateuser` undoes it);
 * the entry is forgotten. Only kinds whose table was read are swept.
 *
 * ```ts
 * await sweep(ctx, ['user', 'session']);
 * ```
 */
export async function sweep(ctx: ImportContext, kinds: readonly ImportKind[]): Promise<void> {
  const { target, report } = ctx;
  for (const kind of kinds) {
    const seen = ctx.seen[kind].seal();
    for (let after = ''; ; ) {
      const page = await target.ledgerPage(kind, after, ctx.batchSize);
      if (page.length === 0) break;
      after = page[page.length - 1].ref;
      const gone = page.filter((entry) => !seen.has(entry.ref)).map((entry) => entry.ref);
      if (gone.length === 0) continue;
      const forget = gone.map((ref) => ({ kind, ref }));
      if (kind === 'user') {
        const users = await target.users(gone.map(Number));
        const updateUsers: { id: number; patch: ImportedUserPatch }[] = [];
        for (const user of users.values()) {
          if (!user.isActive) continue;
          updateUsers.push({ id: user.id, patch: { isActive: false } });
          report.deactivated++;
          report.changedUserIds.push(user.id);
        }
        await write(ctx, { updateUsers, forget });
      } else if (kind === 'session') {
        const deleteSessions = [...(await target.sessionOwners(gone)).keys()];
        report.ended.sessions += deleteSessions.length;
        report.endedSessionKeyHashes.push(...deleteSessions);
        await write(ctx, { deleteSessions, forget });
      } else if (kind === 'token') {
        const deleteTokens = [...(await target.tokenOwners(gone)).keys()];
        report.ended.tokens += deleteTokens.length;
        report.endedTokenKeyHashes.push(...deleteTokens);
        await write(ctx, { deleteTokens, forget });
      } else {
        // A refresh token's row went (flushexpiredtokens): it has expired; Gatehouse's record is its own now.
        await write(ctx, { forget });
      }
    }
  }
}
