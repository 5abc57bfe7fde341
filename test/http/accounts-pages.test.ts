/**
 * The pages' part of the account flows: the browsable API's log-in form
 * leads to the app's "Forgot your password?" screen, and the app learns
 * whether new accounts wait for their activation link.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeApp } from '../helpers/app.ts';

test('the browsable API\'s log-in page links to "Forgot your password?" in the app', async () => {
  const t = await makeApp();
  try {
    const page = await t.client().request('GET', '/api-auth/login/?next=/api/profile/');
    assert.equal(page.status, 200);
    assert.match(page.body, /<p><a href="\/#\/password\/reset">Forgot your password\?<\/a><\/p>/);
  } finally {
    await t.close();
  }
});

test('the app page says whether GATEHOUSE_SEND_ACTIVATION_EMAIL is on', async () => {
  for (const [env, content] of [
    [{}, '0'],
    [{ GATEHOUSE_SEND_ACTIVATION_EMAIL: '1' }, '1'],
  ] as const) {
    const t = await makeApp({ env });
    try {
      const page = await t.client().request('GET', '/');
      assert.ok(
        page.body.includes(`<meta name="gatehouse-send-activation-email" content="${content}">\n<title>`),
      );
    } finally {
      await t.close();
    }
  }
});
