import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../errors.ts';
import { parseMultipart } from './multipart.ts';

function form(boundary: string, parts: string[]): Buffer {
  return Buffer.from(`${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`);
}

const field = (name: string, value: string) =>
  `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;

test('text fields are read; the last of a repeated field wins', () => {
  const body = form('XyZ', [
    field('username', 'alice'),
    field('password', 'p w\r\nx'),
    field('a', '1'),
    field('a', '2'),
  ]);
  assert.deepEqual(
    { ...parseMultipart(body, 'multipart/form-data; boundary=XyZ') },
    {
      username: 'alice',
      password: 'p w\r\nx',
      a: '2',
    },
  );
});

test('a quoted boundary is accepted', () => {
  const body = form('a b', [field('x', '1')]);
  assert.deepEqual({ ...parseMultipart(body, 'multipart/form-data; boundary="a b"') }, { x: '1' });
});

test('file parts are skipped', () => {
  const body = form('b', [
    'Content-Disposition: form-data; name="avatar"; filename="me.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG',
    field('username', 'alice'),
  ]);
  assert.deepEqual({ ...parseMultipart(body, 'multipart/form-data; boundary=b') }, { username: 'alice' });
});

test('values are UTF-8', () => {
  const body = form('b', [field('name', 'walterwhité')]);
  assert.equal(parseMultipart(body, 'multipart/form-data; boundary=b').name, 'walterwhité');
});

test("a missing boundary is Django's error behind DRF's prefix", () => {
  assert.throws(
    () => parseMultipart(Buffer.from('x'), 'multipart/form-data'),
    (error: unknown) =>
      error instanceof ParseError &&
      (error.body as { detail: string }).detail ===
        'Multipart form parse error - Invalid boundary in multipart: None',
  );
});

test('an over-long boundary is refused', () => {
  assert.throws(
    () => parseMultipart(Buffer.from('x'), `multipart/form-data; boundary=${'a'.repeat(201)}`),
    ParseError,
  );
});

test('more than 100 parts is a 400', () => {
  const parts = Array.from({ length: 101 }, (_, i) => field(`f${i}`, 'v'));
  assert.throws(
    () => parseMultipart(form('b', parts), 'multipart/form-data; boundary=b'),
    (error: unknown) => error instanceof ParseError && error.status === 400,
  );
  assert.equal(
    Object.keys(parseMultipart(form('b', parts.slice(0, 100)), 'multipart/form-data; boundary=b')).length,
    100,
  );
});

test('IN-04: a part named "__proto__" does not pollute Object.prototype', () => {
  const body = form('b', [field('__proto__', 'x'), field('constructor', 'y')]);
  const data = parseMultipart(body, 'multipart/form-data; boundary=b');
  assert.equal(({} as Record<string, unknown>).x, undefined);
  assert.equal(Object.getPrototypeOf(data), null);
  assert.equal(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, 'x');
});

test('parts without a name or a form-data disposition are ignored; a truncated body gives what it has', () => {
  const body = Buffer.from(
    '--b\r\nContent-Disposition: form-data\r\n\r\nnameless\r\n' +
      '--b\r\nContent-Disposition: attachment; name="x"\r\n\r\nnope\r\n' +
      '--b\r\nContent-Disposition: form-data; name="ok"\r\n\r\nyes\r\n' +
      '--b\r\nContent-Disposition: form-data; name="cut"\r\n\r\nno end',
  );
  assert.deepEqual({ ...parseMultipart(body, 'multipart/form-data; boundary=b') }, { ok: 'yes' });
});
