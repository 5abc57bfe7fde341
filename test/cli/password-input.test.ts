/**
 * Where a new password comes from: stdin (less one newline) and the hidden,
 * twice-asked prompt, driven through a fake terminal.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { UsageError } from '../../src/cli/args.ts';
import { CommandError, Interrupted, type Io } from '../../src/cli/command.ts';
import {
  passwordSource,
  promptHidden,
  readNewPassword,
  readStdinPassword,
} from '../../src/cli/password-input.ts';

/** A terminal: raw-mode switches are recorded, everything written to stderr is kept. */
function terminal(isTTY = true) {
  const stdin = Object.assign(new PassThrough(), { isTTY, rawModes: [] as boolean[] });
  const tty = Object.assign(stdin, {
    setRawMode(mode: boolean) {
      stdin.rawModes.push(mode);
      return stdin;
    },
  });
  let stderr = '';
  const io: Io = {
    stdin: isTTY ? tty : stdin,
    stdout: { write: () => true },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: {},
    cwd: '/',
  };
  return { io, stdin, type: (text: string) => stdin.write(text), stderr: () => stderr };
}

const noProblems = () => [];

test('stdin: exactly one trailing newline is dropped, other whitespace kept', async () => {
  const cases: [string, string][] = [
    ['Pw-12345678\n', 'Pw-12345678'],
    ['Pw-12345678', 'Pw-12345678'],
    ['Pw-12345678\r\n', 'Pw-12345678'],
    ['Pw-12345678\n\n', 'Pw-12345678\n'],
    [' Pw 12345678 \t\n', ' Pw 12345678 \t'],
    ['pässwörd-€\n', 'pässwörd-€'],
  ];
  for (const [input, expected] of cases) {
    const { io, stdin } = terminal(false);
    stdin.end(input);
    assert.equal(await readStdinPassword(io), expected, JSON.stringify(input));
  }
});

test('stdin that is not UTF-8 is a usage error', async () => {
  const { io, stdin } = terminal(false);
  stdin.end(Buffer.from([0x70, 0xff, 0x0a]));
  await assert.rejects(readStdinPassword(io), new UsageError('--password-stdin: input is not valid UTF-8'));
});

test("an empty password is refused with Django's words", async () => {
  const { io, stdin } = terminal(false);
  stdin.end('\n');
  await assert.rejects(
    readNewPassword({ kind: 'stdin' }, io, noProblems),
    new CommandError("Blank passwords aren't allowed."),
  );
});

test('the source: --password, --password-stdin, a prompt on a terminal, otherwise a usage error', () => {
  assert.deepEqual(passwordSource({ password: 'x' }, terminal(false).io), { kind: 'argument', value: 'x' });
  assert.deepEqual(passwordSource({ 'password-stdin': true }, terminal(false).io), { kind: 'stdin' });
  assert.deepEqual(passwordSource({}, terminal(true).io), { kind: 'prompt' });
  assert.throws(() => passwordSource({}, terminal(false).io), UsageError);
  assert.throws(
    () => passwordSource({ password: 'x', 'password-stdin': true }, terminal(true).io),
    UsageError,
  );
});

test('the prompt does not echo, edits with backspace, and leaves raw mode', async () => {
  const t = terminal();
  const answer = promptHidden(t.io, 'Password: ');
  t.type('se');
  t.type('\x7fecret\r');
  assert.equal(await answer, 'secret');
  assert.equal(t.stderr(), 'Password: \n');
  assert.deepEqual(t.stdin.rawModes, [true, false]);
});

test('asked twice; both lines may arrive in one paste', async () => {
  const t = terminal();
  const answer = readNewPassword({ kind: 'prompt' }, t.io, noProblems);
  t.type('Pw-12345678\r\nPw-12345678\r');
  assert.equal(await answer, 'Pw-12345678');
  assert.equal(t.stderr(), 'Password: \nPassword (again): \n');
});

test("a mismatch or a validator's complaint asks again; three failures abort", async () => {
  const t = terminal();
  const validate = (pw: string) => (pw === 'short' ? ['This password is too short.'] : []);
  const answer = readNewPassword({ kind: 'prompt' }, t.io, validate);
  t.type('one\rtwo\rshort\rshort\rPw-12345678\rPw-12345678\r');
  assert.equal(await answer, 'Pw-12345678');
  assert.match(t.stderr(), /Error: Your passwords didn't match\.\n/);
  assert.match(t.stderr(), /Error: This password is too short\.\n/);

  const u = terminal();
  const aborted = readNewPassword({ kind: 'prompt' }, u.io, noProblems);
  u.type('a\rb\rc\rd\re\rf\r');
  await assert.rejects(aborted, new CommandError('aborting after 3 attempts'));
});

test('Ctrl-C at the prompt interrupts; Ctrl-D on an empty line aborts', async () => {
  const t = terminal();
  const interrupted = promptHidden(t.io, 'Password: ');
  t.type('abc\x03');
  await assert.rejects(interrupted, Interrupted);
  assert.deepEqual(t.stdin.rawModes, [true, false]);

  const u = terminal();
  const aborted = promptHidden(u.io, 'Password: ');
  u.type('\x04');
  await assert.rejects(aborted, CommandError);
});
