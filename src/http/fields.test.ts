import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../errors.ts';
import { type CharFieldSpec, charFields } from './fields.ts';

// Messages and shapes checked against DRF 3.14's serializers.CharField.

const login: Record<'username' | 'password', CharFieldSpec> = { username: {}, password: { trim: false } };

/** The 400 body DRF would send for `data`. */
function errorsFor(data: unknown, spec: Record<string, CharFieldSpec> = login): unknown {
  try {
    charFields(data, spec);
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected ValidationError, got ${error}`);
    assert.equal(error.status, 400);
    return error.body;
  }
  assert.fail('the data was accepted');
}

test('valid fields come back cleaned: username trimmed, password as sent', () => {
  assert.deepEqual(charFields({ username: '  alice ', password: ' pw ' }, login), {
    username: 'alice',
    password: ' pw ',
  });
});

test('"This field is required." for each missing field, in declaration order', () => {
  const body = errorsFor({});
  assert.deepEqual(body, { username: ['This field is required.'], password: ['This field is required.'] });
  assert.deepEqual(Object.keys(body as object), ['username', 'password']);
});

test('"This field may not be blank." for empty and (trimmed) whitespace-only values', () => {
  assert.deepEqual(errorsFor({ username: '', password: '' }), {
    username: ['This field may not be blank.'],
    password: ['This field may not be blank.'],
  });
  assert.deepEqual(errorsFor({ username: '   ', password: 'x' }), {
    username: ['This field may not be blank.'],
  });
});

test('a password of spaces is not blank: password fields do not trim', () => {
  assert.deepEqual(charFields({ username: 'a', password: '   ' }, login), { username: 'a', password: '   ' });
});

test('"This field may not be null."', () => {
  assert.deepEqual(errorsFor({ username: null, password: 'x' }), {
    username: ['This field may not be null.'],
  });
});

test('"Not a valid string." for booleans, lists and objects', () => {
  for (const value of [true, false, ['x'], {}, { $ne: null }]) {
    assert.deepEqual(
      errorsFor({ username: value, password: 'x' }),
      { username: ['Not a valid string.'] },
      JSON.stringify(value),
    );
  }
});

test('numbers are accepted as their string, as DRF accepts int and float', () => {
  assert.deepEqual(charFields({ username: 42, password: 7 }, login), { username: '42', password: '7' });
});

// Python's str() gives "1.0" and "1e+20"; JSON.parse cannot tell 1.0 from 1, so Gatehouse gives
// JavaScript's String(): the departure docs/http-api.md#conventions records.
test('floats are stringified as JavaScript prints them: 1.0 → "1", 1e20 → "100000000000000000000", 0.5 → "0.5"', () => {
  assert.deepEqual(charFields(JSON.parse('{"username":1.0,"password":1e20}'), login), {
    username: '1',
    password: '100000000000000000000',
  });
  assert.deepEqual(charFields({ username: 0.5, password: -2.25 }, login), {
    username: '0.5',
    password: '-2.25',
  });
});

test("max length counts code points, with DRF's message", () => {
  const spec = { username: { maxLength: 5 } };
  assert.deepEqual(charFields({ username: '😀😀😀😀😀' }, spec), { username: '😀😀😀😀😀' });
  assert.deepEqual(errorsFor({ username: 'abcdef' }, spec), {
    username: ['Ensure this field has no more than 5 characters.'],
  });
});

test('optional fields, blanks and defaults', () => {
  const spec: Record<string, CharFieldSpec> = {
    name: { required: false },
    scope: { default: 'read' },
    note: { allowBlank: true },
  };
  assert.deepEqual(charFields({ note: '' }, spec), { name: '', scope: 'read', note: '' });
});

test('fields outside the spec are ignored (no mass assignment)', () => {
  const out = charFields({ username: 'n', password: 'p', isAdmin: true, role: 'admin' }, login);
  assert.deepEqual(out, { username: 'n', password: 'p' });
});

test('inherited properties are not fields: a "toString" from the prototype is not a username', () => {
  assert.deepEqual(errorsFor({ password: 'x' }, { username: {}, password: {}, toString: {} }), {
    username: ['This field is required.'],
    toString: ['This field is required.'],
  });
});

test('non-dict data: "Invalid data. Expected a dictionary, but got list."', () => {
  assert.deepEqual(errorsFor([1, 2]), {
    non_field_errors: ['Invalid data. Expected a dictionary, but got list.'],
  });
});

test("non-dict data names Python's type: bool, int, float, str", () => {
  const cases: [unknown, string][] = [
    [true, 'bool'],
    [123, 'int'],
    [1.5, 'float'],
    ['x', 'str'],
  ];
  for (const [data, type] of cases) {
    assert.deepEqual(errorsFor(data), {
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${type}.`],
    });
  }
});

test('a JSON null body gives {"non_field_errors":["No data provided"]} (Serializer.errors edge case, verified on DRF 3.14)', () => {
  assert.deepEqual(errorsFor(null), { non_field_errors: ['No data provided'] });
});

test('PWD-09: credential fields are type-strict: each of these is a 400, never a 500 or a login', () => {
  const bodies: unknown[] = [
    { username: 'u', password: ['x'] },
    { password: { $ne: null } },
    true,
    123,
    null,
    { username: { toString: 'x' }, password: 'x' },
    { username: 'u' },
    { username: 'u', password: false },
    { username: 'u', password: { length: 1 } },
  ];
  for (const body of bodies) {
    assert.throws(() => charFields(body, login), ValidationError, JSON.stringify(body));
  }
});

test('prototype-less dicts (form bodies) are read as any other', () => {
  const data = Object.assign(Object.create(null), { username: 'alice', password: 'pw' });
  assert.deepEqual(charFields(data, login), { username: 'alice', password: 'pw' });
});

test('NUL characters are refused: "Null characters are not allowed." (ProhibitNullCharactersValidator)', () => {
  assert.deepEqual(errorsFor({ username: 'a\u0000b', password: 'x' }), {
    username: ['Null characters are not allowed.'],
  });
});

test('lone surrogates are refused: "Surrogate characters are not allowed: U+D800."', () => {
  assert.deepEqual(errorsFor({ username: '\ud800x', password: 'x' }), {
    username: ['Surrogate characters are not allowed: U+D800.'],
  });
});

test("trimming is Python's str.strip(): \\x1f and \\x85 are stripped, a BOM is kept", () => {
  assert.deepEqual(charFields({ username: '\x1falice\x85', password: 'x' }, login), {
    username: 'alice',
    password: 'x',
  });
  assert.deepEqual(charFields({ username: '\ufeffalice', password: 'x' }, login), {
    username: '\ufeffalice',
    password: 'x',
  });
});

test('Unicode spaces that both Python and JavaScript strip are stripped', () => {
  assert.deepEqual(charFields({ username: '\u00a0bob\u3000', password: 'x' }, login), {
    username: 'bob',
    password: 'x',
  });
});
