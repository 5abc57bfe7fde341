/**
 * The shape of one `gatehouse` command, and what it runs with: the process's
 * streams and environment (injected, so a command can be driven in-process)
 * and a lazy `open()` of the configured Gatehouse. Nothing touches the
 * database before the arguments have been checked.
 *
 * ```ts
 * export const activateuser = defineCommand({
 *   name: 'activateuser',
 *   summary: 'Let a user log in again',
 *   args: { positionals: ['USERNAME'], options: {} },
 *   async run({ positionals: [username] }, ctx) { … },
 * });
 * ```
 */

import type { Config } from '../config.ts';
import type { Gatehouse, Stores } from '../index.ts';
import type { ArgsSpec, OptionSpecs, OptionValues } from './args.ts';
import { quote } from './args.ts';

/** The process's side of the CLI. `stdin` is a TTY stream when a terminal is attached. */
export interface Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface Opened {
  gh: Gatehouse;
  stores: Stores;
  config: Config;
}

/** A started reference server: where it listens, and how to stop it. */
export interface RunningServer {
  address: string;
  close(): Promise<void>;
}

/**
 * The reference server, as `runserver` starts it. The `gatehouse` bin hands
 * it in (from server/ in a checkout, dist/server/ when installed), so the
 * commands themselves depend on the library only.
 */
export interface ReferenceServer {
  startServer(config: Config, log: (line: string) => void): Promise<RunningServer>;
}

export interface CommandContext {
  io: Io;
  /** Loads the configuration and opens the stores (migrating them); closed by `main` afterwards. */
  open(): Promise<Opened>;
  /** The configuration alone, without opening anything. */
  config(): Config;
  /** A line on stdout. */
  print(line: string): void;
  /** A progress line on stderr, shown only on a terminal so that scripts and cron see results only. */
  progress(line: string): void;
  /** The reference server (`runserver`); a CommandError when this installation has none. */
  server(): Promise<ReferenceServer>;
  /** Resolves at the first SIGINT or SIGTERM: how a long-running command waits to be stopped. */
  untilStopped(): Promise<void>;
}

export interface Command<S extends OptionSpecs = OptionSpecs> {
  name: string;
  /** One line for `gatehouse --help`. */
  summary: string;
  /** The usage line after `gatehouse `, when the generated one does not say enough (alternatives). */
  usage?: string;
  /** Paragraphs after the usage line of `gatehouse NAME --help`. */
  description: string;
  args: ArgsSpec<S>;
  /** Exit status 0 unless it throws: UsageError → 2, CommandError and ValidationError → 1. */
  run(args: { positionals: string[]; options: OptionValues<S> }, ctx: CommandContext): Promise<void>;
}

/** Keeps each command's option types while the registry holds them as `Command`. */
export function defineCommand<S extends OptionSpecs>(command: Command<S>): Command {
  return command as unknown as Command;
}

/** A failure the user can act on (unknown user, unknown token): one line, exit status 1. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

/** The user named on the command line, or CommandError `user "bob" does not exist` (exit status 1). */
export async function findUser(gh: Gatehouse, username: string, message?: string) {
  const user = await gh.accounts.getByUsername(username);
  if (!user) throw new CommandError(message ?? `user ${quote(username)} does not exist`);
  return user;
}

/** Ctrl-C at a prompt: exit status 130, as a shell reports SIGINT. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}
