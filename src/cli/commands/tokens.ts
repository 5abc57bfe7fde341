import { defineCommand, findUser } from '../command.ts';
import { formatTable, formatTime } from '../output.ts';

/** `gatehouse tokens alice`: the user's API tokens, never their keys. */
export const tokens = defineCommand({
  name: 'tokens',
  summary: "List a user's API tokens (never the keys)",
  description: `Lists the user's API tokens: id (for gatehouse revoketoken), name, when it was created,
last used (to the minute) and expires, in UTC. Keys are not stored, so they cannot be shown.`,
  args: { positionals: ['USERNAME'], options: {} },
  async run({ positionals: [username] }, ctx) {
    const { gh } = await ctx.open();
    const user = await findUser(gh, username);
    const list = await gh.tokens.list(user.id);
    if (list.length === 0) return ctx.print(`User ${user.username} has no API tokens.`);
    const now = gh.clock.now();
    const rows = list.map((t) => [
      t.id,
      t.name || '-',
      formatTime(t.createdAt),
      formatTime(t.lastUsedAt),
      t.expiresAt !== null && t.expiresAt <= now
        ? `${formatTime(t.expiresAt)} (expired)`
        : formatTime(t.expiresAt),
    ]);
    ctx.print(formatTable(['ID', 'NAME', 'CREATED', 'LAST USED', 'EXPIRES'], rows));
  },
});
