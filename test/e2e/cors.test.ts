/**
 * CORS in real Chromium: an app served from a second origin uses token
 * authentication against the reference server; an origin that is not allowed
 * is stopped by the browser. Skipped when GATEHOUSE_TEST_CHROMIUM=0.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { register } from '../helpers/accounts.ts';
import { CHROMIUM_SKIP, launchChromium } from '../helpers/chromium.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

/** A page on its own origin that signs in with a token and reads the profile, reporting what it saw. */
const CLIENT_PAGE = (api: string) => `<!DOCTYPE html><html><body><script type="module">
const out = {};
try {
  const obtain = await fetch('${api}/api-token-auth/', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: 'Pw-12345678' }) });
  out.obtain = obtain.status;
  const { token } = await obtain.json();
  const profile = await fetch('${api}/api/profile/', { headers: { Authorization: 'Token ' + token } });
  out.profile = profile.status;
  out.body = await profile.text();
} catch (error) { out.error = String(error); }
document.title = JSON.stringify(out);
</script></body></html>`;

/** Serves `html()` on its own localhost port (read per request: the API's address is known only later). */
function serve(html: () => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(html());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://localhost:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

describe('a client on another origin, in Chromium', { skip: CHROMIUM_SKIP }, () => {
  let api: RunningServer;
  let browser: Browser;
  let allowedPage: { server: Server; origin: string };
  let otherPage: { server: Server; origin: string };

  before(async () => {
    // Two pages on localhost ports; the API on 127.0.0.1: different origins, and only the first is allowed.
    allowedPage = await serve(() => CLIENT_PAGE(api.url));
    otherPage = await serve(() => CLIENT_PAGE(api.url));
    api = await startServer({ GATEHOUSE_CORS_ALLOWED_ORIGINS: allowedPage.origin });
    await register(api.url, 'alice', 'Pw-12345678');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await api?.stop();
    for (const page of [allowedPage, otherPage]) await new Promise((r) => page?.server.close(r));
  });

  async function visit(origin: string): Promise<Record<string, unknown>> {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => document.title.startsWith('{'), undefined, { timeout: 15_000 });
      return JSON.parse(await page.title());
    } finally {
      await page.close();
    }
  }

  test('an allowed origin obtains a token and calls the API with it (preflight for Authorization)', async () => {
    const seen = await visit(allowedPage.origin);
    assert.deepEqual(seen, { obtain: 200, profile: 200, body: '{"username":"alice","email":""}' });
  });

  test('CSRF-15: an origin that is not allowed cannot read any answer', async () => {
    const seen = await visit(otherPage.origin);
    assert.equal(seen.obtain, undefined);
    assert.match(String(seen.error), /TypeError/);
  });
});
