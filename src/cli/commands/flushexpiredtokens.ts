import { defineCommand } from '../command.ts';
import { plural } from '../output.ts';

/** `gatehouse flushexpiredtokens`: simplejwt's `flushexpiredtokens`, plus expired API tokens. */
export const flushexpiredtokens = defineCommand({
  name: 'flushexpiredtokens',
  summary: 'Delete expired API tokens and refresh-token records',
  description: `Deletes API tokens whose expiry has passed and the outstanding/blacklist records of
refresh tokens that have expired (simplejwt's flushexpiredtokens), and prints both counts.
Expired tokens never authenticate; this only reclaims space. Safe to run from cron.`,
  args: { positionals: [], options: {} },
  async run(_args, ctx) {
    const { gh, stores } = await ctx.open();
    ctx.progress('Deleting expired tokens…');
    const apiTokens = await gh.tokens.clearExpired();
    const refreshTokens = await stores.refreshTokens.deleteExpired(gh.clock.now());
    ctx.print(
      `Deleted ${plural(apiTokens, 'expired API token')} and ${plural(refreshTokens, 'expired refresh-token record')}.`,
    );
  },
});
