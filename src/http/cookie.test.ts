import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { httpDate, serializeCookie } from './cookie.ts';

// Vectors produced by Django 3.2's HttpResponse.set_cookie / delete_cookie with time.time() pinned
// to 2025-01-01T00:00:00Z (the attribute order is SimpleCookie's; Django 5.2 emits the same).
const NOW = Date.UTC(2025, 0, 1);

test("the csrftoken cookie is byte-identical to Django's", () => {
  const header = serializeCookie(
    {
      name: 'csrftoken',
      value: 'O976A7n2vjLpJe5D5jhbZ0MTpewNGNZ5',
      maxAge: 31449600,
      path: '/',
      sameSite: 'Lax',
    },
    NOW,
  );
  assert.equal(
    header,
    'csrftoken=O976A7n2vjLpJe5D5jhbZ0MTpewNGNZ5; expires=Wed, 31 Dec 2025 00:00:00 GMT; Max-Age=31449600; Path=/; SameSite=Lax',
  );
});

test("the sessionid cookie is byte-identical to Django's, HttpOnly after expires", () => {
  const header = serializeCookie(
    {
      name: 'sessionid',
      value: 's7mcbcwaev7bd1oge1dq60f7nhbzzaun',
      maxAge: 1209600,
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
    },
    NOW,
  );
  assert.equal(
    header,
    'sessionid=s7mcbcwaev7bd1oge1dq60f7nhbzzaun; expires=Wed, 15 Jan 2025 00:00:00 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax',
  );
});

test('Domain comes before expires and Secure comes last', () => {
  const header = serializeCookie(
    {
      name: 'securecsrf',
      value: 'abc',
      maxAge: 60,
      path: '/',
      domain: '.example.com',
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
    },
    NOW,
  );
  assert.equal(
    header,
    'securecsrf=abc; Domain=.example.com; expires=Wed, 01 Jan 2025 00:01:00 GMT; HttpOnly; Max-Age=60; Path=/; SameSite=Strict; Secure',
  );
});

test("deleting a session cookie is Django's delete_cookie line", () => {
  const header = serializeCookie(
    { name: 'sessionid', value: '', maxAge: 0, path: '/', sameSite: 'Lax' },
    NOW,
  );
  assert.equal(
    header,
    'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax',
  );
});

test('deleting with a custom domain and path keeps them, as Django does', () => {
  const header = serializeCookie(
    {
      name: 'sessionid',
      value: 'whatever',
      maxAge: 0,
      path: '/example/',
      domain: '.example.local',
      sameSite: 'Lax',
    },
    NOW,
  );
  assert.equal(
    header,
    'sessionid=""; Domain=.example.local; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/example/; SameSite=Lax',
  );
});

test('a browser-session cookie has neither expires nor Max-Age', () => {
  const header = serializeCookie(
    {
      name: 'sessionid',
      value: 's7mcbcwaev7bd1oge1dq60f7nhbzzaun',
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
    },
    NOW,
  );
  assert.equal(header, 'sessionid=s7mcbcwaev7bd1oge1dq60f7nhbzzaun; HttpOnly; Path=/; SameSite=Lax');
});

test('Path defaults to /', () => {
  assert.equal(serializeCookie({ name: 'a', value: 'b' }, NOW), 'a=b; Path=/');
});

test("httpDate is Python's http_date", () => {
  assert.equal(httpDate(new Date(0)), 'Thu, 01 Jan 1970 00:00:00 GMT');
  assert.equal(httpDate(new Date(Date.UTC(2026, 11, 6, 12, 18, 58, 999))), 'Sun, 06 Dec 2026 12:18:58 GMT');
});

test('CK-05: a cookie name with ";" is refused', () => {
  assert.throws(() => serializeCookie({ name: 'a;b', value: 'v' }, NOW), ConfigurationError);
});

test('CK-05: names with "=", spaces, control characters or nothing at all are refused', () => {
  for (const name of ['a=b', 'a b', 'a\tb', 'a\r\nb', '', 'a,b', 'a"b', 'é']) {
    assert.throws(() => serializeCookie({ name, value: 'v' }, NOW), ConfigurationError, JSON.stringify(name));
  }
});

test('CK-05: a value with CRLF cannot inject a header', () => {
  assert.throws(() => serializeCookie({ name: 'a', value: 'v\r\nSet-Cookie: x' }, NOW), ConfigurationError);
});

test('CK-05: values with ";", ",", space, quote, backslash or control characters are refused', () => {
  for (const value of ['a;b', 'a,b', 'a b', 'a"b', 'a\\b', 'a\x00b', 'a\x7fb', 'é']) {
    assert.throws(
      () => serializeCookie({ name: 'a', value }, NOW),
      ConfigurationError,
      JSON.stringify(value),
    );
  }
});

test('CK-05: a path or domain with ";" or a control character is refused', () => {
  assert.throws(
    () => serializeCookie({ name: 'a', value: 'v', path: '/; Domain=evil.example' }, NOW),
    ConfigurationError,
  );
  assert.throws(() => serializeCookie({ name: 'a', value: 'v', path: '/\r\nX: y' }, NOW), ConfigurationError);
  assert.throws(
    () => serializeCookie({ name: 'a', value: 'v', domain: 'example.com;x' }, NOW),
    ConfigurationError,
  );
  assert.throws(
    () => serializeCookie({ name: 'a', value: 'v', domain: 'example.com\n' }, NOW),
    ConfigurationError,
  );
});

test('a deletion never echoes the old value, whatever it was', () => {
  const header = serializeCookie({ name: 'sessionid', value: 'v\r\nSet-Cookie: x', maxAge: 0 }, NOW);
  assert.equal(header, 'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/');
});
