import { commandOrigin } from '../../logging/security-events.ts';
import { defineCommand, findUser } from '../command.ts';
import { plural } from '../output.ts';

/** `gatehouse resetmfa alice`: an operator removes a lost second factor. */
export const resetmfa = defineCommand({
  name: 'resetmfa',
  summary: "Remove a user's lost second factor (TOTP and recovery codes); end its sessions",
  description: `For a user who lost the phone with its authenticator app and its recovery codes: removes
the user's TOTP device and recovery codes, so its password alone logs in again, and ends every
session, refresh token and access JWT of the user (API tokens stay; revoke them with
gatehouse revoketoken). With --passkeys, the user's passkeys are removed too. Check the person's
identity first: this turns the account's second factor off. A user without a second factor is
left as it was (exit 0).`,
  args: {
    positionals: ['USERNAME'],
    options: { passkeys: { type: 'boolean', description: "also remove the user's passkeys" } },
  },
  async run({ positionals: [username], options }, ctx) {
    const { gh } = await ctx.open();
    const user = await findUser(gh, username);
    const origin = commandOrigin('resetmfa');
    const hadTotp = await gh.mfa.reset(user, origin);
    const removed = options.passkeys ? await gh.passkeys.removeAll(user, origin) : 0;
    ctx.print(
      hadTotp
        ? `Removed the two-factor authentication of user ${user.username}; its sessions are ended.`
        : `User ${user.username} had no two-factor authentication; its sessions are ended.`,
    );
    if (options.passkeys) ctx.print(`Removed ${plural(removed, 'passkey')}.`);
  },
});
