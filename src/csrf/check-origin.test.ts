import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsrfFailed } from '../errors.ts';
import { createAuthRequest } from '../request.ts';
import { type CsrfOptions, CsrfProtection } from './check.ts';

// A valid cookie and token pair (Django's vectors), so only the Origin/Referer step can fail.
const VALID = {
  cookie: 'csrftoken=1bcdefghij2bcdefghij3bcdefghij4bcdefghij5bcdefghij6bcdefghijABCD',
  'x-csrftoken': '2JgchWvM1tpxT2lfz9aydoXW9yT1DN3NdLiejYxOOlzzV4nhBbYqmqZYbAV3V5Bf',
};

/** The reason a POST fails with, or null when it passes. */
function reason(options: CsrfOptions, headers: Record<string, string>, secure: boolean): string | null {
  const req = createAuthRequest({
    method: 'POST',
    url: '/things/',
    headers,
    clientAddress: '127.0.0.1',
    secure,
  });
  try {
    new CsrfProtection(options).check(req, undefined);
    return null;
  } catch (error) {
    assert.ok(error instanceof CsrfFailed);
    return error.reason;
  }
}

const app = { allowedHosts: ['app.example.test'] };
const fromApp = (extra: Record<string, string>) => ({ ...VALID, host: 'app.example.test', ...extra });

test('CSRF-06: Origin https://app.example.test is accepted', () => {
  assert.equal(reason(app, fromApp({ origin: 'https://app.example.test' }), true), null);
});

test('CSRF-06: foreign, null, wrong-scheme, wrong-port and look-alike Origins are rejected', () => {
  for (const origin of [
    'https://evil.example',
    'null',
    'http://app.example.test',
    'https://app.example.test:8443',
    'https://app.example.test.evil.example',
    'https://evil.example/app.example.test',
    'https://[',
  ]) {
    const expected = `Origin checking failed - ${origin} does not match any trusted origins.`;
    assert.equal(reason(app, fromApp({ origin }), true), expected, origin);
  }
});

test('CSRF-06: the Origin check runs before the cookie check, even over plain HTTP', () => {
  const headers = { host: 'app.example.test', origin: 'https://evil.example' };
  assert.equal(
    reason(app, headers, false),
    'Origin checking failed - https://evil.example does not match any trusted origins.',
  );
});

test('CSRF-07: over HTTPS without Origin, a missing or bad Referer is rejected', () => {
  assert.equal(reason(app, fromApp({}), true), 'Referer checking failed - no Referer.');
  assert.equal(
    reason(app, fromApp({ referer: 'http://app.example.test/x' }), true),
    'Referer checking failed - Referer is insecure while host is secure.',
  );
  assert.equal(
    reason(app, fromApp({ referer: 'https://evil.example/x' }), true),
    'Referer checking failed - https://evil.example/x does not match any trusted origins.',
  );
  // test_https_malformed_referer: empty, non-ASCII, no scheme, no host, unparsable.
  for (const referer of ['', 'ØBöIß', '//example.com/', 'https://', 'https://[']) {
    assert.equal(
      reason(app, fromApp({ referer }), true),
      'Referer checking failed - Referer is malformed.',
      referer,
    );
  }
  assert.equal(
    reason(app, fromApp({ referer: 'http://http://www.example.com/' }), true),
    'Referer checking failed - Referer is insecure while host is secure.',
  );
});

test('CSRF-07: a same-origin HTTPS Referer is accepted, with or without a path (test_https_good_referer*)', () => {
  for (const referer of ['https://app.example.test/page', 'https://app.example.test']) {
    assert.equal(reason(app, fromApp({ referer }), true), null, referer);
  }
});

test('CSRF-07: plain HTTP without Origin skips the Referer check', () => {
  assert.equal(reason(app, fromApp({ referer: 'https://evil.example/' }), false), null);
  assert.equal(reason(app, fromApp({}), false), null);
});

test('CSRF-08: Host: evil.example with Origin: https://evil.example is rejected when evil.example is not allowed', () => {
  const headers = { ...VALID, host: 'evil.example', origin: 'https://evil.example' };
  assert.equal(
    reason(app, headers, true),
    'Origin checking failed - https://evil.example does not match any trusted origins.',
  );
  assert.equal(
    reason({}, headers, true),
    'Origin checking failed - https://evil.example does not match any trusted origins.',
  );
});

test('CSRF-08: X-Forwarded-Host is never used as the target origin', () => {
  const headers = fromApp({ 'x-forwarded-host': 'evil.example', origin: 'https://evil.example' });
  assert.equal(
    reason(app, headers, true),
    'Origin checking failed - https://evil.example does not match any trusted origins.',
  );
  const referer = fromApp({ 'x-forwarded-host': 'evil.example', referer: 'https://evil.example/' });
  assert.equal(
    reason(app, referer, true),
    'Referer checking failed - https://evil.example/ does not match any trusted origins.',
  );
});

test('CSRF-08: with no allowed hosts only trusted origins count', () => {
  assert.equal(
    reason({}, fromApp({ origin: 'https://app.example.test' }), true),
    'Origin checking failed - https://app.example.test does not match any trusted origins.',
  );
  assert.equal(
    reason(
      { trustedOrigins: ['https://app.example.test'] },
      fromApp({ origin: 'https://app.example.test' }),
      true,
    ),
    null,
  );
});

test('a malformed Host never vouches for anything (test_https_malformed_host, test_origin_malformed_host)', () => {
  const star = { allowedHosts: ['*'] };
  const host = '@malformed';
  assert.equal(
    reason(star, { ...VALID, host, referer: 'https://www.evil.org/somepage' }, true),
    'Referer checking failed - https://www.evil.org/somepage does not match any trusted origins.',
  );
  assert.equal(
    reason(star, { ...VALID, host, origin: 'https://www.evil.org' }, true),
    'Origin checking failed - https://www.evil.org does not match any trusted origins.',
  );
  // test_https_good_referer_malformed_host: a trusted Referer still passes.
  const trusted = { trustedOrigins: ['https://dashboard.example.com'] };
  assert.equal(
    reason(trusted, { ...VALID, host, referer: 'https://dashboard.example.com/somepage' }, true),
    null,
  );
});

test('trusted origins: exact and wildcard Origins and Referers (test_*_csrf_trusted_origin_*)', () => {
  const www = (extra: Record<string, string>) => ({ ...VALID, host: 'www.example.com', ...extra });
  const exact = { allowedHosts: ['www.example.com'], trustedOrigins: ['https://dashboard.example.com'] };
  const wildcard = { allowedHosts: ['www.example.com'], trustedOrigins: ['https://*.example.com'] };
  assert.equal(reason(exact, www({ origin: 'https://dashboard.example.com' }), true), null);
  assert.equal(reason(exact, www({ referer: 'https://dashboard.example.com' }), true), null);
  assert.equal(reason(wildcard, www({ origin: 'https://foo.example.com' }), true), null);
  assert.equal(reason(wildcard, www({ referer: 'https://dashboard.example.com' }), true), null);
  const mixed = {
    allowedHosts: ['www.example.com'],
    trustedOrigins: [
      'http://no-match.com',
      'https://*.example.com',
      'http://*.no-match.com',
      'http://*.no-match-2.com',
    ],
  };
  assert.equal(
    reason(mixed, www({ origin: 'http://foo.example.com' }), true),
    'Origin checking failed - http://foo.example.com does not match any trusted origins.',
  );
});

test("the request's own origin passes over HTTP and HTTPS (test_good_origin_insecure, test_good_origin_secure)", () => {
  const www = { allowedHosts: ['www.example.com'] };
  assert.equal(
    reason(www, { ...VALID, host: 'www.example.com', origin: 'http://www.example.com' }, false),
    null,
  );
  assert.equal(
    reason(www, { ...VALID, host: 'www.example.com', origin: 'https://www.example.com' }, true),
    null,
  );
  assert.equal(
    reason(www, { ...VALID, host: 'www.example.com', origin: 'http://example.com' }, true),
    'Origin checking failed - http://example.com does not match any trusted origins.',
  );
});
