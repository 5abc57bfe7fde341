import { parseInteger, UsageError } from '../args.ts';
import { defineCommand, findUser } from '../command.ts';
import { printable } from '../output.ts';

/** The API's limits (`POST /api/tokens/`): a name of at most 100 characters, at most ten years. */
const MAX_NAME = 100;
const MAX_EXPIRES_IN = 10 * 365 * 86_400;

/** `gatehouse createtoken alice`: DRF's `drf_create_token`, with its output and error wording. */
export const createtoken = defineCommand({
  name: 'createtoken',
  summary: 'Issue an API token for a user and print its key',
  description: `Issues a new API token (Authorization: Token KEY) and prints, as DRF's drf_create_token:

  Generated token KEY for user USERNAME

The key is shown this once: only its SHA-256 is stored. Unlike DRF, a user may hold several
tokens, so every run issues a new one; gatehouse tokens USERNAME lists them and
gatehouse revoketoken ID revokes one. Without --expires-in the token does not expire.`,
  args: {
    positionals: ['USERNAME'],
    options: {
      name: {
        type: 'string',
        value: 'N',
        description: `a label shown by "gatehouse tokens" (at most ${MAX_NAME} characters)`,
      },
      'expires-in': {
        type: 'string',
        value: 'SECONDS',
        description: `lifetime, 1 to ${MAX_EXPIRES_IN} seconds`,
      },
    },
  },
  async run({ positionals: [username], options }, ctx) {
    const name = options.name ?? '';
    if ([...name].length > MAX_NAME) throw new UsageError(`--name: at most ${MAX_NAME} characters`);
    const expiresIn =
      options['expires-in'] === undefined
        ? null
        : parseInteger('expires-in', options['expires-in'], 1, MAX_EXPIRES_IN);
    const { gh } = await ctx.open();
    const user = await findUser(
      gh,
      username,
      `Cannot create the Token: user ${printable(username)} does not exist`,
    );
    const { key } = await gh.tokens.issue(user, { name, expiresIn });
    ctx.print(`Generated token ${key} for user ${user.username}`);
  },
});
