/**
 * `gatehouse COMMAND …`: user and credential management over the server's
 * database, configured by the server's environment variables (server/config.ts).
 * Exit status: 0 done; 1 the command failed (unknown user, rejected value);
 * 2 bad arguments or configuration; 130 interrupted. Every error is one line
 * on stderr: `gatehouse: COMMAND: message`.
 *
 * ```ts
 * process.exitCode = await main(['createtoken', 'alice']);
 * ```
 */

import { type Config, loadConfig } from '../config.ts';
import { ApiError, ConfigurationError, ValidationError } from '../index.ts';
import { openGatehouse } from '../open.ts';
import { parseArgs, quote, UsageError } from './args.ts';
import { type Command, type CommandContext, Interrupted, type Io, type Opened } from './command.ts';
import { activateuser } from './commands/activateuser.ts';
import { changepassword } from './commands/changepassword.ts';
import { clearsessions } from './commands/clearsessions.ts';
import { createtoken } from './commands/createtoken.ts';
import { createuser } from './commands/createuser.ts';
import { deactivateuser } from './commands/deactivateuser.ts';
import { flushexpiredtokens } from './commands/flushexpiredtokens.ts';
import { importdjango } from './commands/importdjango.ts';
import { migrate } from './commands/migrate.ts';
import { revoketoken } from './commands/revoketoken.ts';
import { sessions } from './commands/sessions.ts';
import { tokens } from './commands/tokens.ts';
import { commandHelp, mainHelp } from './help.ts';

export const commands: readonly Command[] = [
  createuser,
  changepassword,
  deactivateuser,
  activateuser,
  createtoken,
  tokens,
  revoketoken,
  sessions,
  clearsessions,
  flushexpiredtokens,
  migrate,
  importdjango,
];

export function processIo(): Io {
  return {
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  };
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic =
      name === 'help' && rest[0] !== undefined ? commands.find((c) => c.name === rest[0]) : undefined;
    if (name === 'help' && rest[0] !== undefined && !topic)
      return fail(io, `unknown command ${quote(rest[0])}`, 2);
    io.stdout.write(topic ? commandHelp(topic) : mainHelp(commands));
    return 0;
  }
  if (name === undefined || name === '') {
    return fail(io, `missing command: ${commands.map((c) => c.name).join(', ')} (see gatehouse --help)`, 2);
  }
  const command = commands.find((c) => c.name === name);
  if (!command) return fail(io, `unknown command ${quote(name)} (see gatehouse --help)`, 2);

  let config = null as Config | null;
  let opened = null as Opened | null;
  const ctx: CommandContext = {
    io,
    config() {
      config ??= loadConfig(io.env, io.cwd);
      return config;
    },
    async open() {
      if (!opened) {
        const config = ctx.config();
        // An operator's acts are security events too; they go to stderr, so stdout stays the command's result.
        const gh = await openGatehouse(config, {
          securityLog:
            config.securityLog === 'off'
              ? () => {}
              : (event) => io.stderr.write(`${JSON.stringify({ logger: 'gatehouse.security', ...event })}\n`),
        });
        opened = { gh, stores: gh.stores, config: ctx.config() };
      }
      return opened;
    },
    print: (line) => io.stdout.write(`${line}\n`),
    progress: (line) => {
      if (io.stderr.isTTY) io.stderr.write(`${line}\n`);
    },
  };
  try {
    const args = parseArgs(rest, command.args);
    if (args.help) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    await command.run(args, ctx);
    return 0;
  } catch (error) {
    return report(io, command.name, error);
  } finally {
    await opened?.gh.close();
  }
}

/** Turns what a command threw into its one line and exit status. */
function report(io: Io, command: string, error: unknown): number {
  if (error instanceof Interrupted) return 130;
  if (error instanceof UsageError)
    return fail(io, `${command}: ${error.message} (see gatehouse ${command} --help)`, 2);
  if (error instanceof ConfigurationError) return fail(io, `${command}: ${error.message}`, 2);
  if (error instanceof ValidationError) return fail(io, `${command}: ${validationLine(error)}`, 1);
  if (error instanceof ApiError) return fail(io, `${command}: ${error.detail ?? error.message}`, 1);
  // CommandError, StoreUnavailableError, and the operating system's errors (EACCES on the
  // database directory): for all of them the message is the useful part.
  if (error instanceof Error) return fail(io, `${command}: ${error.message}`, 1);
  return fail(io, `${command}: ${String(error)}`, 1);
}

/** `username: A user with that username already exists.; password: …` on one line. */
function validationLine(error: ValidationError): string {
  if (Array.isArray(error.body)) return error.body.join(' ');
  return Object.entries(error.body)
    .map(([field, messages]) => {
      const text = Array.isArray(messages) ? messages.join(' ') : String(messages);
      return field === 'non_field_errors' ? text : `${field}: ${text}`;
    })
    .join('; ');
}

function fail(io: Io, message: string, status: number): number {
  // A run of whitespace holding a line break becomes one space (`\s*[\r\n]+\s*` is O(n²) on a run of spaces).
  const oneLine = message.replace(/\s+/g, (run) => (/[\r\n]/.test(run) ? ' ' : run));
  io.stderr.write(`gatehouse: ${oneLine}\n`);
  return status;
}
