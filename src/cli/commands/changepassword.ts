import { ValidationError } from '../../errors.ts';
import { commandOrigin } from '../../logging/security-events.ts';
import { validatePassword } from '../../passwords/validators.ts';
import { defineCommand, findUser } from '../command.ts';
import { passwordSource, readNewPassword } from '../password-input.ts';

/** `gatehouse changepassword alice`: Django's `changepassword`, which also ends the user's sessions and JWTs. */
export const changepassword = defineCommand({
  name: 'changepassword',
  summary: "Set a user's password (ends its sessions, refresh tokens and access JWTs)",
  description: `Sets a new password, checked by Django's password validators. On a terminal it asks
twice without echo; --password-stdin reads the whole of stdin less one trailing newline.

Every session of the user ends, every refresh token is blacklisted and every access JWT issued
until now stops working. API tokens stay valid: revoke them with gatehouse revoketoken.`,
  args: {
    positionals: ['USERNAME'],
    options: {
      'password-stdin': { type: 'boolean', description: 'read the password from stdin' },
    },
  },
  async run({ positionals: [username], options }, ctx) {
    const source = passwordSource(options, ctx.io);
    const { gh } = await ctx.open();
    const user = await findUser(gh, username);
    if (source.kind === 'prompt') ctx.io.stderr.write(`Changing password for user ${user.username}\n`);
    const password = await readNewPassword(source, ctx.io, (pw) =>
      validatePassword(pw, { username: user.username, email: user.email }),
    );
    try {
      await gh.accounts.setPassword(user, password, { origin: commandOrigin('changepassword') });
    } catch (error) {
      // The service names the field as the HTTP endpoint does; here it is just the password.
      if (error instanceof ValidationError && !Array.isArray(error.body) && 'new_password' in error.body) {
        throw new ValidationError({ password: error.body.new_password as string[] });
      }
      throw error;
    }
    ctx.print(`Password changed successfully for user ${user.username}.`);
  },
});
