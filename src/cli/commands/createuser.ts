import { ValidationError } from '../../errors.ts';
import { validatePassword } from '../../passwords/validators.ts';
import { normalizeUsername } from '../../passwords/verify-credentials.ts';
import { defineCommand } from '../command.ts';
import { passwordSource, readNewPassword } from '../password-input.ts';

/** `gatehouse createuser alice --password-stdin`: Django's `createsuperuser`, for any kind of user. */
export const createuser = defineCommand({
  name: 'createuser',
  summary: 'Create a user',
  usage: 'createuser USERNAME [--email E] [--password P | --password-stdin] [--staff] [--superuser]',
  description: `Creates a user with Django's validators: the username (letters, digits and @/./+/-/_, at most
150 characters, not taken) and the password (AUTH_PASSWORD_VALIDATORS: not too similar to the
username or e-mail, at least 8 characters, not a common password, not entirely numeric).

The password comes from --password-stdin (the whole of stdin less one trailing newline), from
--password (visible to other local users in the process list), or, on a terminal, from a prompt
asked twice without echo. A taken username or a rejected password is one line on stderr, exit 1.`,
  args: {
    positionals: ['USERNAME'],
    options: {
      email: { type: 'string', value: 'E', description: 'e-mail address' },
      password: { type: 'string', value: 'P', description: 'the password (prefer --password-stdin)' },
      'password-stdin': { type: 'boolean', description: 'read the password from stdin' },
      staff: { type: 'boolean', description: 'is_staff: may use the admin' },
      superuser: {
        type: 'boolean',
        description: 'is_superuser: every permission (implies --staff, as in Django)',
      },
    },
  },
  async run({ positionals: [username], options }, ctx) {
    const source = passwordSource(options, ctx.io);
    const { gh } = await ctx.open();
    const email = options.email ?? '';
    if (source.kind === 'prompt' && (await gh.accounts.getByUsername(username))) {
      // Say so before asking for a password twice, as createsuperuser does.
      throw new ValidationError({ username: ['A user with that username already exists.'] });
    }
    const password = await readNewPassword(source, ctx.io, (pw) =>
      validatePassword(pw, { username: normalizeUsername(username), email: email.trim() }),
    );
    const user = await gh.accounts.create({
      username,
      email,
      password,
      isStaff: Boolean(options.staff || options.superuser),
      isSuperuser: Boolean(options.superuser),
    });
    const kind = user.isSuperuser ? 'superuser' : user.isStaff ? 'staff user' : 'user';
    ctx.print(`Created ${kind} ${user.username}.`);
  },
});
