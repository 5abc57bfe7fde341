import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, renderPage, wantsHtml } from '../../server/browsable-api.ts';
import { createAuthRequest } from '../../src/request.ts';
import { jsonResponse } from '../../src/response.ts';

function get(url: string, accept?: string) {
  return createAuthRequest({
    method: 'GET',
    url,
    headers: accept ? { accept } : {},
    clientAddress: '192.0.2.1',
  });
}

const FIREFOX = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const CHROME =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';

test("a browser's Accept header selects the browsable API", () => {
  assert.equal(wantsHtml(get('/api/', FIREFOX)), true);
  assert.equal(wantsHtml(get('/api/', CHROME)), true);
  assert.equal(wantsHtml(get('/api/', 'text/html')), true);
});

test('application/json, */* or no Accept selects JSON', () => {
  assert.equal(wantsHtml(get('/api/', 'application/json')), false);
  assert.equal(wantsHtml(get('/api/', '*/*')), false);
  assert.equal(wantsHtml(get('/api/')), false);
  assert.equal(wantsHtml(get('/api/', 'application/json, text/html')), false);
  assert.equal(wantsHtml(get('/api/', 'text/html;q=0.5, application/json')), false);
});

test('as DRF 3.14, JSON wins whenever application/json is as specific as text/html, whatever the order', () => {
  assert.equal(wantsHtml(get('/api/', 'text/html, application/json')), false);
  assert.equal(wantsHtml(get('/api/', 'application/json;q=0.1, text/html')), false);
});

test('as DRF 3.14, text/* selects the browsable API (JSON does not match it)', () => {
  assert.equal(wantsHtml(get('/api/', 'text/*')), true);
});

test('?format=json selects JSON even from a browser; ?format=api selects HTML', () => {
  assert.equal(wantsHtml(get('/api/?format=json', FIREFOX)), false);
  assert.equal(wantsHtml(get('/api/?format=api', 'application/json')), true);
});

test('escapeHtml escapes the five HTML metacharacters', () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
  );
});

const page = { name: 'Article List', path: '/api/articles/', username: null, csrfToken: 'tok' };

test('renderPage escapes <script> in the data', () => {
  const html = renderPage(jsonResponse(200, { title: '</pre><script>alert(1)</script>' }), page);
  assert.ok(!html.includes('<script>'));
  assert.ok(!html.includes('</pre><script'));
  assert.ok(html.includes('&#60;/pre&#62;&#60;script&#62;alert(1)&#60;/script&#62;'));
});

test('renderPage escapes <script> in the username, and offers log-out with the CSRF token', () => {
  const html = renderPage(jsonResponse(200, {}), {
    ...page,
    username: '<script>alert(1)</script>',
    csrfToken: '"><script>x</script>',
  });
  assert.ok(!html.includes('<script>'));
  assert.ok(html.includes('<span class="username">&#60;script&#62;alert(1)&#60;/script&#62;</span>'));
  assert.ok(html.includes('name="csrfmiddlewaretoken" value="&#34;&#62;&#60;script&#62;x&#60;/script&#62;"'));
  assert.ok(html.includes('Log out'));
});

test('renderPage escapes the page name and the path in the log-in link', () => {
  const html = renderPage(jsonResponse(200, {}), {
    ...page,
    name: '<img src=x onerror=alert(1)>',
    path: '/a"><script>',
  });
  assert.ok(!html.includes('<img'));
  assert.ok(!html.includes('<script>'));
  assert.ok(html.includes('<a href="/api-auth/login/?next=%2Fa%22%3E%3Cscript%3E">Log in</a>'));
});

test('renderPage shows the status line, the chosen headers and the JSON with 4-space indentation', () => {
  const res = jsonResponse(
    401,
    { detail: 'Invalid token.' },
    { 'www-authenticate': 'Token', allow: 'GET, HEAD, OPTIONS' },
  );
  const html = renderPage(res, page);
  assert.ok(html.includes('<b>HTTP 401 Unauthorized</b>'));
  assert.ok(html.includes('<b>Allow:</b> <span class="lit">GET, HEAD, OPTIONS</span>'));
  assert.ok(html.includes('<b>Content-Type:</b> <span class="lit">application/json</span>'));
  assert.ok(html.includes('<b>Vary:</b> <span class="lit">Accept</span>'));
  assert.ok(html.includes('<b>Www-Authenticate:</b> <span class="lit">Token</span>'));
  assert.ok(html.includes('{\n    &#34;detail&#34;: &#34;Invalid token.&#34;\n}'));
});

test('a header value cannot break out of the page either', () => {
  const html = renderPage(jsonResponse(200, {}, { allow: '<script>' }), page);
  assert.ok(!html.includes('<script>'));
});
