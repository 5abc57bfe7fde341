import { defineCommand, findUser } from '../command.ts';
import { formatTable, formatTime, truncate } from '../output.ts';

/** `gatehouse sessions alice`: the user's browser sessions, by public id (never the session key). */
export const sessions = defineCommand({
  name: 'sessions',
  summary: "List a user's sessions",
  description: `Lists the user's sessions: id, created, last seen (to the minute), client address and user
agent. Times are UTC. Sessions past the idle or absolute limit are marked (expired) until
gatehouse clearsessions removes them; they no longer authenticate.`,
  args: { positionals: ['USERNAME'], options: {} },
  async run({ positionals: [username] }, ctx) {
    const { gh } = await ctx.open();
    const user = await findUser(gh, username);
    const list = await gh.sessions.listAll(user.id);
    if (list.length === 0) return ctx.print(`User ${user.username} has no sessions.`);
    const now = gh.clock.now();
    const expired = (createdAt: number, lastSeenAt: number) =>
      now - lastSeenAt > gh.sessions.idleTimeout * 1000 ||
      now - createdAt > gh.sessions.absoluteTimeout * 1000;
    const rows = list.map((s) => [
      s.id,
      formatTime(s.createdAt),
      expired(s.createdAt, s.lastSeenAt) ? `${formatTime(s.lastSeenAt)} (expired)` : formatTime(s.lastSeenAt),
      s.ip || '-',
      truncate(s.userAgent, 60) || '-',
    ]);
    ctx.print(formatTable(['ID', 'CREATED', 'LAST SEEN', 'IP', 'USER AGENT'], rows));
  },
});
