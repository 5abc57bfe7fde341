import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSafeRedirect, splitUrl } from './safe-redirect.ts';

const plain = (allowedHosts: string[]) => ({ allowedHosts, requireHttps: false });

test("RED-01: Django's test_bad_urls corpus is rejected", () => {
  const bad = [
    'http://example.com',
    'http:///example.com',
    'https://example.com',
    'ftp://example.com',
    '\\\\example.com',
    '\\\\\\example.com',
    '/\\\\/example.com',
    '\\\\//example.com',
    '/\\/example.com',
    '\\/example.com',
    '/\\example.com',
    'http:/\\//example.com',
    'http:\\/example.com',
    'http:/\\example.com',
    'javascript:alert("XSS")',
    '\njavascript:alert(x)',
    'java\nscript:alert(x)',
    '\x08//example.com',
    'http://otherserver\\@example.com',
    'http:\\\\testserver\\@example.com',
    'http://testserver\\me:pass@example.com',
    'http://testserver\\@example.com',
    'http:\\\\testserver\\confirm\\me@example.com',
    'http:999999999',
    'ftp:9999999999',
    '\n',
    'http://[2001:cdba:0000:0000:0000:0000:3257:9652/',
    'http://2001:cdba:0000:0000:0000:0000:3257:9652]/',
  ];
  for (const url of bad) assert.equal(isSafeRedirect(url, plain(['testserver', 'testserver2'])), false, url);
});

test("RED-01: Django's test_good_urls corpus is accepted", () => {
  const good = [
    '/view/?param=http://example.com',
    '/view/?param=https://example.com',
    '/view?param=ftp://example.com',
    'view/?param=//example.com',
    'https://testserver/',
    'HTTPS://testserver/',
    '//testserver/',
    'http://testserver/confirm?email=me@example.com',
    '/url%20with%20spaces/',
    'path/http:2222222222',
  ];
  for (const url of good) assert.equal(isSafeRedirect(url, plain(['otherserver', 'testserver'])), true, url);
});

test('RED-01: basic-auth credentials pass only when the whole netloc is allowed (test_basic_auth)', () => {
  assert.equal(isSafeRedirect('http://user:pass@testserver/', plain(['user:pass@testserver'])), true);
  assert.equal(isSafeRedirect('http://user:pass@testserver/', plain(['testserver'])), false);
});

test('RED-01: with no allowed hosts only relative URLs pass (test_no_allowed_hosts)', () => {
  assert.equal(isSafeRedirect('/confirm/me@example.com', plain([])), true);
  assert.equal(isSafeRedirect('http://testserver\\@example.com', plain([])), false);
  assert.equal(isSafeRedirect('', plain([])), false);
  assert.equal(isSafeRedirect('   ', plain([])), false);
});

test('RED-01: requireHttps accepts only https absolute URLs (test_secure_param_*)', () => {
  const secure = { allowedHosts: ['example.com'], requireHttps: true };
  for (const url of ['https://example.com/p', 'HTTPS://example.com/p', '/view/?param=http://example.com']) {
    assert.equal(isSafeRedirect(url, secure), true, url);
  }
  for (const url of ['http://example.com/p', 'ftp://example.com/p', '//example.com/p']) {
    assert.equal(isSafeRedirect(url, secure), false, url);
  }
});

test("RED-01: SECURITY.md's bypass corpus never leaves app.example.test", () => {
  const bad = [
    'http://evil.example',
    'https://evil.example',
    'ftp://evil.example',
    '//evil.example',
    '///evil.example',
    '\\\\evil.example',
    '\\\\\\evil.example',
    '/\\evil.example',
    '\\/evil.example',
    '/\\\\/evil.example',
    'http:///evil.example',
    'http:/\\//evil.example',
    'http:\\/evil.example',
    'https:evil.example',
    'javascript:alert(1)',
    '\njavascript:alert(1)',
    'java\nscript:alert(1)',
    '\x08//evil.example',
    ' //evil.example',
    '/%09/evil.example',
    '%2F%2Fevil.example',
    'https://app.example.test@evil.example',
    'http://app.example.test\\@evil.example',
    'https://evil.example#@app.example.test',
    'https://app.example.test.evil.example',
    'https://evil.example/?https://app.example.test',
    'http:999999999',
    'http://[2001:db8::1/',
    'data:text/html,x',
  ];
  for (const url of bad)
    assert.equal(isSafeRedirect(url, plain(['app.example.test'])), false, JSON.stringify(url));
});

test('RED-01: same-origin paths and the exact allowed origin are preserved', () => {
  for (const url of [
    '/dashboard?x=https://evil.example',
    '/url%20with%20spaces/',
    'https://app.example.test/x',
  ]) {
    assert.equal(isSafeRedirect(url, plain(['app.example.test'])), true, url);
  }
});

test('RED-01: over HTTPS an http:// URL to the app itself is rejected (test_security_check_https)', () => {
  const secure = { allowedHosts: ['app.example.test'], requireHttps: true };
  assert.equal(isSafeRedirect('http://app.example.test/x', secure), false);
  assert.equal(isSafeRedirect('https://app.example.test/x', secure), true);
});

test('RED-01: allowed hosts are literal, so wildcard-looking entries match nothing else', () => {
  const options = plain(['*.example.test', '.example.test']);
  for (const url of [
    'https://evil.example/.example.test',
    'https://example.test.evil.example',
    'https://a.example.test/',
  ]) {
    assert.equal(isSafeRedirect(url, options), false, url);
  }
});

test('RED-01: control characters anywhere, encoded controls and double-encoded slashes are rejected', () => {
  for (const url of [
    '/\r\nLocation: https://evil.example',
    '/a%0d%0aSet-Cookie:x=1',
    '%252F%252Fevil.example',
    '/%5Cevil.example',
    '\u200b//evil.example',
    '\u3000//evil.example',
  ]) {
    assert.equal(isSafeRedirect(url, plain(['app.example.test'])), false, JSON.stringify(url));
  }
});

test('RED-01: URLs longer than 2048 characters are rejected', () => {
  assert.equal(isSafeRedirect(`/${'a'.repeat(2048)}`, plain([])), false);
  assert.equal(isSafeRedirect(`/${'a'.repeat(2000)}`, plain([])), true);
});

test("RED-01: the cap counts code points after Python's strip(), as Django 5.2's len(url.strip())", () => {
  assert.equal(isSafeRedirect(`/${'😀'.repeat(2000)}`, plain([])), true);
  assert.equal(isSafeRedirect(`/${'😀'.repeat(2048)}`, plain([])), false);
  assert.equal(isSafeRedirect(`${' \u3000\x1c'.repeat(5000)}/x${'\u2028'.repeat(5000)}`, plain([])), true);
});

test("splitUrl follows Python's urlsplit", () => {
  assert.deepEqual(splitUrl('HTTPS://a.example:8443/p;x?q=1#f'), {
    scheme: 'https',
    netloc: 'a.example:8443',
    path: '/p;x',
    query: 'q=1',
    fragment: 'f',
  });
  assert.deepEqual(splitUrl('//example.com/'), {
    scheme: '',
    netloc: 'example.com',
    path: '/',
    query: '',
    fragment: '',
  });
  assert.deepEqual(splitUrl('https://'), { scheme: 'https', netloc: '', path: '', query: '', fragment: '' });
  assert.equal(splitUrl('null')?.scheme, '');
  assert.equal(splitUrl('http://http://www.example.com/')?.netloc, 'http:');
  assert.equal(splitUrl('https://[::1]:8000/')?.netloc, '[::1]:8000');
  assert.equal(splitUrl('https://[v1.fe]/')?.netloc, '[v1.fe]');
  for (const url of [
    'https://[',
    'https://]',
    'https://[127.0.0.1]/',
    'https://a[::1]/',
    'https://[::1]x/',
    'https://ex\u2100mple/',
  ]) {
    assert.equal(splitUrl(url), null, url);
  }
});
