import { defineCommand, findUser } from '../command.ts';
import { formatTable, formatTime, plural } from '../output.ts';

/** `gatehouse mfa alice`: whether the user has two-factor authentication, and its passkeys. */
export const mfa = defineCommand({
  name: 'mfa',
  summary: "Show a user's two-factor authentication and passkeys",
  description: `Shows whether the user has TOTP two-factor authentication (when it was set up and last
used, in UTC), how many of its recovery codes are unused, and its passkeys (id, name, created,
last used). Secrets and codes are never shown. gatehouse resetmfa USERNAME removes a lost factor.`,
  args: { positionals: ['USERNAME'], options: {} },
  async run({ positionals: [username] }, ctx) {
    const { gh } = await ctx.open();
    const user = await findUser(gh, username);
    const status = await gh.mfa.status(user.id);
    if (!status.enabled) ctx.print(`User ${user.username}: two-factor authentication is off.`);
    else {
      const unused = (await gh.mfa.recoveryCodes(user.id)).length;
      ctx.print(
        `User ${user.username}: two-factor authentication is on (TOTP since ${formatTime(status.createdAt)}, ` +
          `last used ${formatTime(status.lastUsedAt)}); ${plural(unused, 'unused recovery code')}.`,
      );
    }
    const passkeys = await gh.passkeys.list(user.id);
    if (passkeys.length === 0) return ctx.print('No passkeys.');
    ctx.print(
      formatTable(
        ['ID', 'NAME', 'CREATED', 'LAST USED'],
        passkeys.map((p) => [String(p.id), p.name, formatTime(p.createdAt), formatTime(p.lastUsedAt)]),
      ),
    );
  },
});
