import { defineCommand, findUser } from '../command.ts';

/** `gatehouse deactivateuser alice`: Django's `is_active = False`. */
export const deactivateuser = defineCommand({
  name: 'deactivateuser',
  summary: 'Stop a user from logging in; its credentials answer "User inactive or deleted."',
  description: `Marks the user inactive. It can no longer log in, and every credential it holds (session,
API token, JWT) answers "User inactive or deleted." (or simplejwt's equivalent) until the user is
activated again. Nothing is deleted. Deactivating an inactive user changes nothing and exits 0.`,
  args: { positionals: ['USERNAME'], options: {} },
  async run({ positionals: [username] }, ctx) {
    const { gh } = await ctx.open();
    const user = await findUser(gh, username);
    if (!user.isActive) return ctx.print(`User ${user.username} is already inactive.`);
    await gh.accounts.setActive(user, false);
    ctx.print(`Deactivated user ${user.username}.`);
  },
});
