import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { createAuthRequest } from '../request.ts';
import { allowedHost, isSameDomain, OriginPolicy, splitDomainPort } from './origin.ts';

function post(headers: Record<string, string>, secure = false) {
  return createAuthRequest({ method: 'POST', url: '/things/', headers, clientAddress: '127.0.0.1', secure });
}

test("isSameDomain: Django's IsSameDomainTests", () => {
  const good: [string, string][] = [
    ['example.com', 'example.com'],
    ['example.com', '.example.com'],
    ['foo.example.com', '.example.com'],
    ['example.com:8888', 'example.com:8888'],
    ['example.com:8888', '.example.com:8888'],
    ['foo.example.com:8888', '.example.com:8888'],
    ['example.com', 'EXAMPLE.com'],
  ];
  const bad: [string, string][] = [
    ['example2.com', 'example.com'],
    ['foo.example.com', 'example.com'],
    ['example.com:9999', 'example.com:8888'],
    ['foo.example.com:8888', ''],
    ['evilexample.com', '.example.com'],
    ['example.com.evil.example', '.example.com'],
  ];
  for (const [host, pattern] of good) assert.equal(isSameDomain(host, pattern), true, `${host} ~ ${pattern}`);
  for (const [host, pattern] of bad) assert.equal(isSameDomain(host, pattern), false, `${host} ~ ${pattern}`);
});

test("splitDomainPort: Django's split_domain_port", () => {
  assert.deepEqual(splitDomainPort('Example.COM.:8000'), ['example.com', '8000']);
  assert.deepEqual(splitDomainPort('example.com'), ['example.com', '']);
  assert.deepEqual(splitDomainPort('[::1]:8000'), ['[::1]', '8000']);
  assert.deepEqual(splitDomainPort('[::1]'), ['[::1]', '']);
  for (const invalid of ['@malformed', 'exa mple.com', 'example.com:80x', '', 'a_b.example']) {
    assert.deepEqual(splitDomainPort(invalid), ['', ''], invalid);
  }
});

test('allowedHost: ALLOWED_HOSTS semantics (exact, leading dot, *), Host returned as sent', () => {
  const host = (value: string) => post({ host: value });
  assert.equal(allowedHost(host('www.example.com'), ['www.example.com']), 'www.example.com');
  assert.equal(allowedHost(host('WWW.Example.com:8443'), ['www.example.com']), 'WWW.Example.com:8443');
  assert.equal(allowedHost(host('a.b.example.com'), ['.example.com']), 'a.b.example.com');
  assert.equal(allowedHost(host('example.com'), ['.example.com']), 'example.com');
  assert.equal(allowedHost(host('anything.example'), ['*']), 'anything.example');
  assert.equal(allowedHost(host('evil.example'), ['www.example.com']), null);
  assert.equal(allowedHost(host('@malformed'), ['*']), null);
  assert.equal(allowedHost(host('www.example.com'), []), null);
  assert.equal(allowedHost(post({}), ['*']), null);
});

test('CSRF-08: the own origin is built from Host only when Host is an allowed host', () => {
  const policy = new OriginPolicy({ trustedOrigins: [], allowedHosts: ['app.example.test'] });
  assert.equal(
    policy.originVerified(post({ host: 'app.example.test', origin: 'https://app.example.test' }, true)),
    true,
  );
  assert.equal(
    policy.originVerified(post({ host: 'evil.example', origin: 'https://evil.example' }, true)),
    false,
  );
  const forwarded = {
    host: 'app.example.test',
    'x-forwarded-host': 'evil.example',
    origin: 'https://evil.example',
  };
  assert.equal(policy.originVerified(post(forwarded, true)), false);
});

test('Origin: scheme must match the request, port must match exactly', () => {
  const policy = new OriginPolicy({ trustedOrigins: [], allowedHosts: ['127.0.0.1'] });
  assert.equal(
    policy.originVerified(post({ host: '127.0.0.1:8052', origin: 'http://127.0.0.1:8052' })),
    true,
  );
  assert.equal(policy.originVerified(post({ host: '127.0.0.1:8052', origin: 'http://127.0.0.1' })), false);
  assert.equal(
    policy.originVerified(post({ host: '127.0.0.1:8052', origin: 'https://127.0.0.1:8052' })),
    false,
  );
  assert.equal(policy.originVerified(post({ host: '127.0.0.1', origin: 'http://127.0.0.1' }, true)), false);
});

test('Origin: exact and wildcard trusted origins (DRF-BEHAVIOR 6.5 verified matrix)', () => {
  const policy = new OriginPolicy({
    trustedOrigins: ['https://*.example.com', 'http://trusted.example'],
    allowedHosts: ['www.example.org'],
  });
  const verdict = (origin: string) => policy.originVerified(post({ host: 'www.example.org', origin }, true));
  for (const origin of [
    'http://trusted.example',
    'https://sub.example.com',
    'https://example.com',
    'https://a.b.example.com',
  ]) {
    assert.equal(verdict(origin), true, origin);
  }
  for (const origin of [
    'http://sub.example.com',
    'http://trusted.example:8080',
    'null',
    '',
    'https://sub.example.com:8443',
    'https://evil.example/.example.com',
    'https://example.com.evil.example',
    'https://[',
  ]) {
    assert.equal(verdict(origin), false, origin);
  }
});

test('Referer: the four Django reasons and the passing cases', () => {
  const policy = new OriginPolicy({
    trustedOrigins: ['https://dashboard.example.com'],
    allowedHosts: ['www.example.com'],
  });
  const problem = (headers: Record<string, string>) =>
    policy.refererProblem(post({ host: 'www.example.com', ...headers }, true));
  assert.equal(problem({}), 'Referer checking failed - no Referer.');
  assert.equal(problem({ referer: 'https://' }), 'Referer checking failed - Referer is malformed.');
  assert.equal(
    problem({ referer: 'http://www.example.com/' }),
    'Referer checking failed - Referer is insecure while host is secure.',
  );
  assert.equal(
    problem({ referer: 'HTTPS://www.evil.org/somepage?a=1#top' }),
    'Referer checking failed - https://www.evil.org/somepage?a=1#top does not match any trusted origins.',
  );
  assert.equal(problem({ referer: 'https://www.example.com/somepage' }), null);
  assert.equal(problem({ referer: 'https://dashboard.example.com' }), null);
  assert.equal(
    problem({ referer: 'https://www.example.com:8443/' }),
    'Referer checking failed - https://www.example.com:8443/ does not match any trusted origins.',
  );
});

test('trusted origins that cannot be parsed fail at construction', () => {
  assert.throws(
    () => new OriginPolicy({ trustedOrigins: ['https://['], allowedHosts: [] }),
    ConfigurationError,
  );
});
