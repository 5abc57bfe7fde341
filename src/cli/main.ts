/**
 * `gatehouse COMMAND …`: user and credential management over the server's
 * database, configured by the server's environment variables (src/config.ts),
 * and `runserver`, the reference server.
 * Exit status: 0 done; 1 the command failed (unknown user, rejected value);
 * 2 bad arguments or configuration; 130 interrupted. Every error is one line
 * on stderr: `gatehouse: COMMAND: message`.
 *
 * ```ts
 * process.exitCode = await main(['createtoken', 'alice']);
 * ```
 */

import { existsSync } from 'node:fs';
import { type Config, loadConfig } from '../config.ts';
import { ApiError, ConfigurationError, StoreUnavailableError, ValidationError } from '../index.ts';
import { openGatehouse } from '../open.ts';
import { creationNotices, startupFailure } from '../startup.ts';
import { parseArgs, quote, UsageError } from './args.ts';
import {
  type Command,
  type CommandContext,
  CommandError,
  Interrupted,
  type Io,
  type Opened,
  type ReferenceServer,
} from './command.ts';
import { activateuser } from './commands/activateuser.ts';
import { changepassword } from './commands/changepassword.ts';
import { clearsessions } from './commands/clearsessions.ts';
import { createtoken } from './commands/createtoken.ts';
import { createuser } from './commands/createuser.ts';
import { deactivateuser } from './commands/deactivateuser.ts';
import { flushexpiredtokens } from './commands/flushexpiredtokens.ts';
import { importdjango } from './commands/importdjango.ts';
import { mfa } from './commands/mfa.ts';
import { migrate } from './commands/migrate.ts';
import { resetmfa } from './commands/resetmfa.ts';
import { revoketoken } from './commands/revoketoken.ts';
import { runserver } from './commands/runserver.ts';
import { sendtestemail } from './commands/sendtestemail.ts';
import { sessions } from './commands/sessions.ts';
import { tokens } from './commands/tokens.ts';
import { commandHelp, mainHelp } from './help.ts';
import { packageVersion } from './version.ts';

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
  mfa,
  resetmfa,
  flushexpiredtokens,
  migrate,
  sendtestemail,
  runserver,
  importdjango,
];

/** What the `gatehouse` bin hands the commands beyond the process: where the reference server is. */
export interface MainOptions {
  /** Loads the reference server for `runserver`; without it, `runserver` answers that there is none. */
  server?: () => Promise<ReferenceServer>;
}

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

export async function main(
  argv: readonly string[],
  io: Io = processIo(),
  options: MainOptions = {},
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
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
  // The SQLite file named before anything could create it: a command run from the wrong
  // folder then says which database it made, instead of silently using a new empty one.
  let creates: string | null = null;
  const notice = (line: string) => io.stderr.write(`${line}\n`);
  const ctx: CommandContext = {
    io,
    config() {
      if (!config) {
        config = loadConfig(io.env, io.cwd);
        if (config.database.kind === 'sqlite' && !existsSync(config.database.path))
          creates = config.database.path;
      }
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
        for (const line of creationNotices(config, creates)) notice(line);
      }
      return opened;
    },
    print: (line) => io.stdout.write(`${line}\n`),
    progress: (line) => {
      if (io.stderr.isTTY) io.stderr.write(`${line}\n`);
    },
    async server() {
      if (!options.server) throw new CommandError('this installation has no reference server');
      return options.server();
    },
    untilStopped: () =>
      new Promise((resolve) => {
        const stop = () => {
          process.removeListener('SIGINT', stop);
          process.removeListener('SIGTERM', stop);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
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
  // runserver's listen errors: a HOST that does not resolve or is not ours (2), a port in use (1).
  const failure = error instanceof StoreUnavailableError ? null : startupFailure(error);
  if (failure) return fail(io, `${command}: ${failure.message}`, failure.status);
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
