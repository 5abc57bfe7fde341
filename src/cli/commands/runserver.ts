import { defineCommand } from '../command.ts';

/** `gatehouse runserver`: the reference server of this package, on HOST and PORT (Django's `runserver`). */
export const runserver = defineCommand({
  name: 'runserver',
  summary: 'Serve the reference server (every endpoint, the app at /, the browsable API)',
  description: `Serves the reference server on HOST:PORT (default 127.0.0.1:8000) over DATABASE_URL, as
\`npm start\` does in a checkout: every endpoint of the contract, the example resources, the
single-page app at / and the browsable API. A first start creates the database and a secret key
(var/secret.key) in the working folder and says so. Runs until SIGINT (Ctrl-C) or SIGTERM.
A bad HOST, an unwritable database path or a missing PostgreSQL database: one line, exit 2.`,
  args: { positionals: [], options: {} },
  async run(_args, ctx) {
    const config = ctx.config();
    const { startServer } = await ctx.server();
    // Listening for the signals before the "listening" line is out, so a stop right after it is clean.
    const stopped = ctx.untilStopped();
    const running = await startServer(config, ctx.print);
    await stopped;
    await running.close();
  },
});
