/**
 * Where a new password comes from: `--password P`, `--password-stdin` (the
 * whole of stdin, less one trailing newline), or — with a terminal — a hidden
 * prompt asked twice, as Django's `createsuperuser` and `changepassword` do.
 * Without any of them and without a terminal, the command cannot ask: a
 * usage error, before anything is opened.
 *
 * ```ts
 * const source = passwordSource(options, io); // throws UsageError first
 * const password = await readNewPassword(source, io, (pw) => validatePassword(pw, { username }));
 * ```
 */
import { UsageError } from './args.ts';
import { CommandError, Interrupted, type Io } from './command.ts';

export type PasswordSource = { kind: 'argument'; value: string } | { kind: 'stdin' } | { kind: 'prompt' };

const MAX_STDIN_BYTES = 1 << 20;
const ATTEMPTS = 3;

export function passwordSource(
  options: { password?: string; 'password-stdin'?: boolean },
  io: Io,
): PasswordSource {
  if (options.password !== undefined && options['password-stdin']) {
    throw new UsageError('--password and --password-stdin cannot be used together');
  }
  if (options.password !== undefined) return { kind: 'argument', value: options.password };
  if (options['password-stdin']) return { kind: 'stdin' };
  if (io.stdin.isTTY && io.stdin.setRawMode) return { kind: 'prompt' };
  throw new UsageError('no password given and no terminal to ask on; use --password-stdin');
}

/** The password from its source; `validate` returns Django's messages (prompting asks again on any). */
export async function readNewPassword(
  source: PasswordSource,
  io: Io,
  validate: (password: string) => string[],
): Promise<string> {
  const password =
    source.kind === 'argument'
      ? source.value
      : source.kind === 'stdin'
        ? await readStdinPassword(io)
        : await askTwice(io, validate);
  if (password === '') throw new CommandError("Blank passwords aren't allowed.");
  return password;
}

/**
 * All of stdin, less exactly one trailing newline (`\n` or `\r\n`), as
 * `printf 'pw\n' |` and `echo pw |` send it. Any other whitespace is part of the password.
 */
export async function readStdinPassword(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) throw new UsageError('--password-stdin: input is over 1 MiB');
    chunks.push(buffer);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new UsageError('--password-stdin: input is not valid UTF-8');
  }
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

async function askTwice(io: Io, validate: (password: string) => string[]): Promise<string> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const first = await promptHidden(io, 'Password: ');
    const second = await promptHidden(io, 'Password (again): ');
    if (first !== second) {
      io.stderr.write("Error: Your passwords didn't match.\n");
    } else if (first === '') {
      io.stderr.write("Error: Blank passwords aren't allowed.\n");
    } else {
      const problems = validate(first);
      if (problems.length === 0) return first;
      io.stderr.write(`Error: ${problems.join(' ')}\n`);
    }
  }
  throw new CommandError(`aborting after ${ATTEMPTS} attempts`);
}

// Arrow keys and other escape sequences: not part of a password.
const ESCAPE_SEQUENCE = /\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?/g;
// Typed-ahead input after an Enter (a paste of both lines) waits here for the next prompt.
const pending = new WeakMap<object, string>();

/** One line from a terminal in raw mode, not echoed. Backspace and Ctrl-U edit; Ctrl-C interrupts; Ctrl-D on an empty line aborts. */
export function promptHidden(io: Io, question: string): Promise<string> {
  const { stdin, stderr } = io;
  return new Promise((resolve, reject) => {
    let value = '';
    let done = false;
    const finish = (error: Error | null, rest = '') => {
      done = true;
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.setRawMode?.(false);
      stdin.pause();
      pending.set(stdin, rest);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string | Buffer) => {
      const chars = [...String(chunk).replace(ESCAPE_SEQUENCE, '')];
      for (let i = 0; i < chars.length; i++) {
        const c = chars[i];
        if (c === '\r' || c === '\n') {
          const next = c === '\r' && chars[i + 1] === '\n' ? i + 2 : i + 1;
          return finish(null, chars.slice(next).join(''));
        }
        if (c === '\x03') return finish(new Interrupted());
        if (c === '\x04') {
          if (value === '') return finish(new CommandError('aborted'));
        } else if (c === '\x7f' || c === '\b') {
          value = [...value].slice(0, -1).join('');
        } else if (c === '\x15') {
          value = '';
        } else if (c >= ' ') {
          value += c;
        }
      }
    };
    const onEnd = () => finish(new CommandError('aborted: end of input'));
    stderr.write(question);
    stdin.setRawMode?.(true);
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    const rest = pending.get(stdin);
    if (rest) onData(rest);
    if (!done) stdin.resume();
  });
}
