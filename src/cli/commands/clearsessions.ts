import { defineCommand } from '../command.ts';
import { plural } from '../output.ts';

/** `gatehouse clearsessions`: Django's `clearsessions`, for cron. */
export const clearsessions = defineCommand({
  name: 'clearsessions',
  summary: 'Delete expired sessions',
  description: `Deletes the sessions past their idle limit (GATEHOUSE_SESSION_IDLE_TIMEOUT) or absolute
limit (GATEHOUSE_SESSION_ABSOLUTE_TIMEOUT) and prints how many. Expired sessions never
authenticate; this only reclaims space. Safe to run from cron while servers run.`,
  args: { positionals: [], options: {} },
  async run(_args, ctx) {
    const { gh } = await ctx.open();
    ctx.progress('Deleting expired sessions…');
    const count = await gh.sessions.clearExpired();
    ctx.print(`Deleted ${plural(count, 'expired session')}.`);
  },
});
