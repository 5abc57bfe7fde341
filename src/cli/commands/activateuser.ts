import { defineCommand, findUser } from '../command.ts';

/** `gatehouse activateuser alice`: undoes `deactivateuser`. */
export const activateuser = defineCommand({
  name: 'activateuser',
  summary: 'Let a deactivated user log in again',
  description: `Marks the user active again. Credentials it held before deactivation and that have not
expired work again. Activating an active user changes nothing and exits 0.`,
  args: { positionals: ['USERNAME'], options: {} },
  async run({ positionals: [username] }, ctx) {
    const { gh } = await ctx.open();
    const user = await findUser(gh, username);
    if (user.isActive) return ctx.print(`User ${user.username} is already active.`);
    await gh.accounts.setActive(user, true);
    ctx.print(`Activated user ${user.username}.`);
  },
});
