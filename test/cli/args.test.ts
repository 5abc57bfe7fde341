/** The CLI's argument parser: what it accepts, and the one-line UsageError for everything else. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs, parseInteger, quote, UsageError } from '../../src/cli/args.ts';

const spec = {
  positionals: ['USERNAME'],
  options: {
    name: { type: 'string', value: 'N', description: 'a name' },
    staff: { type: 'boolean', description: 'staff' },
  },
} as const;

test('options before or after the positional, --opt VALUE and --opt=VALUE', () => {
  assert.deepEqual(parseArgs(['--name', 'laptop', 'alice', '--staff'], spec), {
    help: false,
    positionals: ['alice'],
    options: { name: 'laptop', staff: true },
  });
  assert.deepEqual(parseArgs(['alice', '--name=a=b'], spec), {
    help: false,
    positionals: ['alice'],
    options: { name: 'a=b' },
  });
});

test('a value may start with a dash; after -- everything is positional', () => {
  assert.deepEqual(parseArgs(['alice', '--name', '-x'], spec), {
    help: false,
    positionals: ['alice'],
    options: { name: '-x' },
  });
  assert.deepEqual(parseArgs(['--', '--staff'], spec), {
    help: false,
    positionals: ['--staff'],
    options: {},
  });
});

test('a repeatable option (type strings) collects every value, in order', () => {
  const keys = {
    positionals: ['URL'],
    options: { key: { type: 'strings', value: 'KEY', description: 'a key, repeatable' } },
  } as const;
  assert.deepEqual(parseArgs(['db', '--key', 'new', '--key=old', '--key', '-older'], keys), {
    help: false,
    positionals: ['db'],
    options: { key: ['new', 'old', '-older'] },
  });
  assert.deepEqual(parseArgs(['db'], keys), { help: false, positionals: ['db'], options: {} });
  assert.throws(() => parseArgs(['db', '--key'], keys), new UsageError('--key needs a value (--key KEY)'));
});

test('--help or -h anywhere before -- asks for help, whatever else is wrong', () => {
  assert.deepEqual(parseArgs(['--bogus', '-h'], spec), { help: true });
  assert.deepEqual(parseArgs(['--help'], spec), { help: true });
  assert.throws(
    () => parseArgs(['alice', '--', '--help'], spec),
    new UsageError('unexpected argument "--help"'),
  );
});

test('every mistake is one UsageError line', () => {
  const cases: [string[], string][] = [
    [['alice', '--bogus'], 'unknown option "--bogus"'],
    [['alice', '--bogus=1'], 'unknown option "--bogus"'],
    [['alice', '-x'], 'unknown option "-x"'],
    [[], 'missing USERNAME'],
    [[''], 'missing USERNAME'],
    [['alice', 'bob'], 'unexpected argument "bob"'],
    [['alice', '--name'], '--name needs a value (--name N)'],
    [['alice', '--name', 'a', '--name', 'b'], '--name given more than once'],
    [['alice', '--staff=1'], '--staff takes no value'],
    [['alice', '--constructor'], 'unknown option "--constructor"'],
  ];
  for (const [argv, message] of cases)
    assert.throws(() => parseArgs(argv, spec), new UsageError(message), argv.join(' '));
});

test('whole numbers only, within bounds', () => {
  assert.equal(parseInteger('expires-in', '3600', 1, 86400), 3600);
  for (const raw of ['0', '-1', '1.5', '1e3', ' 5', '', '86401', '99999999999999999999']) {
    assert.throws(() => parseInteger('expires-in', raw, 1, 86400), UsageError, raw);
  }
});

test('quote escapes what a terminal would act on', () => {
  assert.equal(quote('a\x1b[2Jb'), '"a\\u001b[2Jb"');
  assert.equal(quote('a\u202eb\x9b'), '"a\\u202eb\\u009b"');
});
