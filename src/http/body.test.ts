import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ApiError, ParseError, UnsupportedMediaType } from '../errors.ts';
import { createAuthRequest } from '../request.ts';
import { MAX_JSON_DEPTH, parseBody, parseJson } from './body.ts';

function post(contentType: string | undefined, body: string | Buffer | null) {
  return createAuthRequest({
    method: 'POST',
    url: '/api/login/',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    clientAddress: '192.0.2.1',
    rawBody: body === null ? null : Buffer.isBuffer(body) ? body : Buffer.from(body),
  });
}

function parseError(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ParseError, `expected ParseError, got ${error}`);
    return error;
  }
  assert.fail('no ParseError');
}

function detailOf(error: ApiError): string {
  return (error.body as { detail: string }).detail;
}

test('JSON bodies parse to their value', () => {
  assert.deepEqual(parseBody(post('application/json', '{"username":"alice","password":"pw"}')), {
    kind: 'json',
    data: { username: 'alice', password: 'pw' },
  });
  assert.deepEqual(parseBody(post('application/json; charset=utf-8', '[1,2]')).data, [1, 2]);
  assert.deepEqual(parseBody(post('Application/JSON', '"x"')).data, 'x');
});

test('form bodies parse to a plain dict of strings, the last of repeated fields winning (QueryDict)', () => {
  const { kind, data } = parseBody(
    post('application/x-www-form-urlencoded', 'username=alice&password=p%40ss+word&a=1&a=2'),
  );
  assert.equal(kind, 'form');
  assert.deepEqual({ ...(data as object) }, { username: 'alice', password: 'p@ss word', a: '2' });
});

test('an empty body is {} (DRF request.data), whatever the type', () => {
  assert.deepEqual(parseBody(post('application/json', '')), { kind: 'empty', data: {} });
  assert.deepEqual(parseBody(post('application/json', null)), { kind: 'empty', data: {} });
  assert.deepEqual(parseBody(post('text/plain', '')), { kind: 'empty', data: {} });
});

test('415 for a media type the view cannot parse, quoting the Content-Type as sent', () => {
  assert.throws(
    () => parseBody(post('text/plain', 'hello')),
    (error: unknown) =>
      error instanceof UnsupportedMediaType &&
      error.status === 415 &&
      detailOf(error) === 'Unsupported media type "text/plain" in request.',
  );
  assert.throws(
    () => parseBody(post('text/plain; charset=utf-8', 'hello')),
    (error: unknown) =>
      error instanceof UnsupportedMediaType &&
      detailOf(error) === 'Unsupported media type "text/plain; charset=utf-8" in request.',
  );
});

test('415 for a type the view does not accept, even one Gatehouse knows', () => {
  assert.throws(
    () => parseBody(post('application/x-www-form-urlencoded', 'a=1'), ['json']),
    (error: unknown) =>
      error instanceof UnsupportedMediaType &&
      detailOf(error) === 'Unsupported media type "application/x-www-form-urlencoded" in request.',
  );
});

test('a body without Content-Type is 415 `Unsupported media type "" in request.` (verified on DRF 3.14)', () => {
  assert.throws(
    () => parseBody(post(undefined, '{"username":"alice"}')),
    (error: unknown) =>
      error instanceof UnsupportedMediaType && detailOf(error) === 'Unsupported media type "" in request.',
  );
});

test('bad JSON is 400 with the "JSON parse error - " prefix', () => {
  for (const body of ['{', '{"a":1,}', "{'a':1}", 'NaN', '[1] [2]', 'undefined']) {
    const error = parseError(() => parseBody(post('application/json', body)));
    assert.equal(error.status, 400);
    assert.match(detailOf(error), /^JSON parse error - /, body);
  }
});

test('IN-01: a 10,000-level nested array is a 400 from the depth check, not a crash', () => {
  const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
  const error = parseError(() => parseBody(post('application/json', deep)));
  assert.match(detailOf(error), /Nesting deeper than 64 levels/);
  assert.equal(error.status, 400);
  assert.match(detailOf(error), /^JSON parse error - /);
});

test('IN-01: a 10,000-level nested object is refused too', () => {
  const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
  assert.equal(parseError(() => parseJson(Buffer.from(deep))).status, 400);
});

test(`nesting up to ${MAX_JSON_DEPTH} levels parses; one more is refused`, () => {
  const at = (n: number) => Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`);
  assert.doesNotThrow(() => parseJson(at(MAX_JSON_DEPTH)));
  parseError(() => parseJson(at(MAX_JSON_DEPTH + 1)));
});

test('brackets inside strings do not count as nesting', () => {
  const text = JSON.stringify({ password: '['.repeat(1000), quote: '\\"[[[' });
  assert.deepEqual(parseJson(Buffer.from(text)), { password: '['.repeat(1000), quote: '\\"[[[' });
});

test('IN-01: a UTF-8 BOM before JSON is refused, as Python json does', () => {
  const error = parseError(() => parseBody(post('application/json', Buffer.from('\ufeff{"a":1}', 'utf8'))));
  assert.match(detailOf(error), /^JSON parse error - Unexpected UTF-8 BOM/);
});

test('IN-01: invalid UTF-8 is a 400', () => {
  const error = parseError(() => parseBody(post('application/json', Buffer.from([0xff, 0xfe]))));
  assert.match(detailOf(error), /^JSON parse error - 'utf-8' codec can't decode/);
  const form = parseError(() =>
    parseBody(post('application/x-www-form-urlencoded', Buffer.from([0x61, 0x3d, 0xff]))),
  );
  assert.equal(form.status, 400);
});

test('IN-01: a UTF-16LE body is a 400', () => {
  assert.equal(
    parseError(() => parseBody(post('application/json', Buffer.from('{"a":1}', 'utf16le')))).status,
    400,
  );
});

test('IN-01: duplicate keys: the last one wins, as Python json does', () => {
  assert.deepEqual(parseBody(post('application/json', '{"password":"a","password":"b"}')).data, {
    password: 'b',
  });
});

test('IN-01: parse errors carry no stack, path or version', () => {
  const error = parseError(() => parseBody(post('application/json', '{"a":')));
  assert.doesNotMatch(detailOf(error), /\/|node|v\d+\.\d+|at /i);
});

test('IN-04: a JSON "__proto__" key does not pollute Object.prototype', () => {
  const data = parseBody(
    post(
      'application/json',
      '{"username":"n","__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}',
    ),
  ).data as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  assert.equal(Object.getPrototypeOf(data), Object.prototype);
  assert.equal(data.isAdmin, undefined);
  assert.ok(Object.hasOwn(data, '__proto__'), '__proto__ stays an ordinary own key');
});

test('IN-04: form "__proto__" and "constructor[prototype]" fields do not pollute Object.prototype', () => {
  const data = parseBody(
    post(
      'application/x-www-form-urlencoded',
      '__proto__[isAdmin]=1&__proto__=x&constructor[prototype][isAdmin]=1&username=n',
    ),
  ).data as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  assert.equal(data.isAdmin, undefined);
  assert.equal(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, 'x');
  assert.equal(data.username, 'n');
});

test('multipart bodies are parsed through the multipart parser', () => {
  const body = '--b\r\nContent-Disposition: form-data; name="username"\r\n\r\nalice\r\n--b--\r\n';
  const { kind, data } = parseBody(post('multipart/form-data; boundary=b', body));
  assert.equal(kind, 'multipart');
  assert.deepEqual({ ...(data as object) }, { username: 'alice' });
});
