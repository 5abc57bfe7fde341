import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { mock, test } from 'node:test';
import { ConfigurationError, CsrfFailed } from '../errors.ts';
import { serializeCookie } from '../http/cookie.ts';
import { createAuthRequest } from '../request.ts';
import { CsrfProtection, csrfCookie } from './check.ts';

// Django's csrf_tests vectors: both masked values unmask to TEST_SECRET.
const TEST_SECRET = 'lcccccccX2kcccccccY2jcccccccssIC';
const MASKED_TEST_SECRET1 = '1bcdefghij2bcdefghij3bcdefghij4bcdefghij5bcdefghij6bcdefghijABCD';
const MASKED_TEST_SECRET2 = '2JgchWvM1tpxT2lfz9aydoXW9yT1DN3NdLiejYxOOlzzV4nhBbYqmqZYbAV3V5Bf';

const csrf = new CsrfProtection();

function request(method: string, headers: Record<string, string> = {}, url = '/things/') {
  return createAuthRequest({ method, url, headers, clientAddress: '127.0.0.1' });
}
const withCookie = (method: string, headers: Record<string, string> = {}, cookie = MASKED_TEST_SECRET1) =>
  request(method, { cookie: `csrftoken=${cookie}`, ...headers });

/** The reason `check` fails with, or null when it passes. */
function reason(
  protection: CsrfProtection,
  req: ReturnType<typeof request>,
  formToken?: string,
): string | null {
  try {
    protection.check(req, formToken);
    return null;
  } catch (error) {
    assert.ok(error instanceof CsrfFailed);
    assert.equal(error.status, 403);
    assert.deepEqual(error.body, { detail: `CSRF Failed: ${error.reason}` });
    return error.reason;
  }
}

test('safe methods are never checked', () => {
  for (const method of ['GET', 'HEAD', 'OPTIONS', 'TRACE'])
    assert.equal(reason(csrf, request(method, { origin: 'null' })), null);
});

test('CSRF-01: POST, PUT, PATCH and DELETE need the cookie and a token (test_put_and_delete_*)', () => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    assert.equal(reason(csrf, request(method)), 'CSRF cookie not set.', method);
    assert.equal(reason(csrf, withCookie(method)), 'CSRF token missing.', method);
    assert.equal(reason(csrf, withCookie(method, { 'x-csrftoken': MASKED_TEST_SECRET2 })), null, method);
  }
});

test("CSRF-02: malformed cookies give Django's reasons (test_bad_csrf_cookie_*)", () => {
  assert.equal(reason(csrf, withCookie('POST', {}, 'a'.repeat(16))), 'CSRF cookie has incorrect length.');
  assert.equal(reason(csrf, withCookie('POST', {}, '*'.repeat(64))), 'CSRF cookie has invalid characters.');
  assert.equal(reason(csrf, withCookie('POST', {}, '')), 'CSRF cookie has incorrect length.');
  assert.equal(
    reason(csrf, withCookie('POST', {}, 'x'.repeat(100_000))),
    'CSRF cookie has incorrect length.',
  );
});

test('CSRF-02: missing, malformed and wrong tokens are rejected (test_csrf_cookie_bad_or_missing_token)', () => {
  const cases: [string | undefined, string | undefined, string][] = [
    [undefined, undefined, 'CSRF token missing.'],
    ['a'.repeat(16), undefined, 'CSRF token from POST has incorrect length.'],
    ['*'.repeat(64), undefined, 'CSRF token from POST has invalid characters.'],
    ['a'.repeat(64), undefined, 'CSRF token from POST incorrect.'],
    ['x'.repeat(100_000), undefined, 'CSRF token from POST has incorrect length.'],
    [undefined, 'a'.repeat(16), "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."],
    [undefined, '*'.repeat(64), "CSRF token from the 'X-Csrftoken' HTTP header has invalid characters."],
    [undefined, 'a'.repeat(64), "CSRF token from the 'X-Csrftoken' HTTP header incorrect."],
    [
      undefined,
      csrf.newSecret() + csrf.newSecret(),
      "CSRF token from the 'X-Csrftoken' HTTP header incorrect.",
    ],
    [undefined, 'x'.repeat(100_000), "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."],
    [undefined, '', "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."],
  ];
  for (const [form, headerToken, expected] of cases) {
    const req = withCookie('POST', headerToken === undefined ? {} : { 'x-csrftoken': headerToken });
    assert.equal(reason(csrf, req, form), expected);
  }
});

test('CSRF-02: a token in the query string is never read', () => {
  const url = `/things/?csrf=${MASKED_TEST_SECRET2}&csrfmiddlewaretoken=${MASKED_TEST_SECRET2}`;
  assert.equal(
    reason(csrf, request('POST', { cookie: `csrftoken=${TEST_SECRET}` }, url)),
    'CSRF token missing.',
  );
});

test('CSRF-03: a token masked from secret X fails under cookie Y', () => {
  const x = csrf.newSecret();
  const y = csrf.newSecret();
  const req = withCookie('POST', { 'x-csrftoken': csrf.issueToken(x) }, y);
  assert.equal(reason(csrf, req), "CSRF token from the 'X-Csrftoken' HTTP header incorrect.");
  assert.equal(
    reason(csrf, withCookie('POST', {}, y), csrf.issueToken(x)),
    'CSRF token from POST incorrect.',
  );
});

test('CSRF-03: a tossed second csrftoken cookie makes the cookie count as not set', () => {
  const tossed = request('POST', {
    cookie: `csrftoken=${TEST_SECRET}; csrftoken=${TEST_SECRET}`,
    'x-csrftoken': TEST_SECRET,
  });
  assert.equal(reason(csrf, tossed), 'CSRF cookie not set.');
  assert.equal(csrf.readSecret(tossed), null);
});

test('CSRF-05: the secrets are compared with crypto.timingSafeEqual on equal-length digests', () => {
  const spy = mock.method(crypto, 'timingSafeEqual');
  syncBuiltinESMExports();
  try {
    assert.equal(
      reason(csrf, withCookie('POST', { 'x-csrftoken': 'a'.repeat(64) })),
      "CSRF token from the 'X-Csrftoken' HTTP header incorrect.",
    );
    assert.equal(spy.mock.callCount(), 1);
    const [a, b] = spy.mock.calls[0].arguments as [Buffer, Buffer];
    assert.equal(a.length, b.length);
  } finally {
    spy.mock.restore();
    syncBuiltinESMExports();
  }
});

test('CSRF-05: tokens are masked per call and every one validates', () => {
  const first = csrf.issueToken(TEST_SECRET);
  const second = csrf.issueToken(TEST_SECRET);
  assert.notEqual(first, second);
  for (const token of [first, second])
    assert.equal(reason(csrf, withCookie('POST', { 'x-csrftoken': token })), null);
});

test('every masked/unmasked cookie and token combination passes (test_masked_unmasked_combinations)', () => {
  for (const cookie of [TEST_SECRET, MASKED_TEST_SECRET1]) {
    for (const token of [TEST_SECRET, MASKED_TEST_SECRET2]) {
      assert.equal(reason(csrf, withCookie('POST', {}, cookie), token), null);
      assert.equal(reason(csrf, withCookie('POST', { 'x-csrftoken': token }, cookie)), null);
    }
  }
});

test('the form field wins over the header; an empty field falls back to the header; only POST reads it', () => {
  const header = { 'x-csrftoken': 'a'.repeat(64) };
  assert.equal(reason(csrf, withCookie('POST', header), MASKED_TEST_SECRET2), null);
  assert.equal(
    reason(csrf, withCookie('POST', header), ''),
    "CSRF token from the 'X-Csrftoken' HTTP header incorrect.",
  );
  assert.equal(reason(csrf, withCookie('PUT', {}), MASKED_TEST_SECRET2), 'CSRF token missing.');
});

test('a custom header name is read and rendered like Django (test_csrf_cookie_bad_token_custom_header)', () => {
  const custom = new CsrfProtection({ headerName: 'X-CSRFToken-Customized' });
  assert.equal(reason(custom, withCookie('POST', { 'x-csrftoken-customized': MASKED_TEST_SECRET2 })), null);
  assert.equal(
    reason(custom, withCookie('POST', { 'x-csrftoken-customized': 'a'.repeat(16) })),
    "CSRF token from the 'X-Csrftoken-Customized' HTTP header has incorrect length.",
  );
  const named = new CsrfProtection({ cookieName: 'csrfcookie' });
  assert.equal(
    reason(named, request('POST', { cookie: `csrfcookie=${TEST_SECRET}`, 'x-csrftoken': TEST_SECRET })),
    null,
  );
});

test('readSecret unmasks a legacy 64-character cookie and ignores malformed ones', () => {
  assert.equal(csrf.readSecret(withCookie('GET', {}, TEST_SECRET)), TEST_SECRET);
  assert.equal(csrf.readSecret(withCookie('GET', {}, MASKED_TEST_SECRET1)), TEST_SECRET);
  assert.equal(csrf.readSecret(withCookie('GET', {}, 'badvalue')), null);
  assert.equal(csrf.readSecret(request('GET')), null);
});

test('trusted origins must start with a scheme (Django check 4_0.E001)', () => {
  assert.throws(
    () => new CsrfProtection({ trustedOrigins: ['https://ok.example', 'example.com'] }),
    new ConfigurationError(
      'As of Django 4.0, the values in the CSRF_TRUSTED_ORIGINS setting must start with a scheme ' +
        '(usually http:// or https://) but found example.com. See the release notes for details.',
    ),
  );
});

test("csrfCookie is Django's Set-Cookie: the bare secret, 52 weeks, Path=/, SameSite=Lax", () => {
  const cookie = csrfCookie('O976A7n2vjLpJe5D5jhbZ0MTpewNGNZ5', { secure: false });
  assert.deepEqual(cookie, {
    name: 'csrftoken',
    value: 'O976A7n2vjLpJe5D5jhbZ0MTpewNGNZ5',
    maxAge: 31449600,
    path: '/',
    sameSite: 'Lax',
    secure: false,
  });
  const now = Date.parse('Sun, 21 Nov 2027 12:18:58 GMT') - 31449600 * 1000;
  assert.equal(
    serializeCookie(cookie, now),
    'csrftoken=O976A7n2vjLpJe5D5jhbZ0MTpewNGNZ5; expires=Sun, 21 Nov 2027 12:18:58 GMT; Max-Age=31449600; Path=/; SameSite=Lax',
  );
  assert.equal(csrfCookie('x', { secure: true }).secure, true);
});
