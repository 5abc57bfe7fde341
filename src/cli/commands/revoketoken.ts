import { commandOrigin } from '../../logging/security-events.ts';
import { quote } from '../args.ts';
import { CommandError, defineCommand } from '../command.ts';

/** `gatehouse revoketoken 3f2a…`: deletes one API token, whoever holds it. */
export const revoketoken = defineCommand({
  name: 'revoketoken',
  summary: 'Revoke an API token by its id',
  description: `Revokes the API token with this id (the ID column of gatehouse tokens USERNAME). It stops
working at once, on every server instance. An unknown id is an error (exit 1).`,
  args: { positionals: ['ID'], options: {} },
  async run({ positionals: [id] }, ctx) {
    const { gh } = await ctx.open();
    if (!(await gh.tokens.revoke(id, null, commandOrigin('revoketoken'))))
      throw new CommandError(`no API token has the id ${quote(id)}`);
    ctx.print(`Revoked token ${id}.`);
  },
});
