import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';

describe('login throttling (CONTRACT "Throttling")', () => {
  const clock = createFakeClock(Date.UTC(2026, 2, 1));
  let t: TestApp;
  before(async () => {
    t = await makeApp({
      clock,
      env: { GATEHOUSE_LOGIN_RATE: '3/min', GATEHOUSE_LOGIN_ADDRESS_RATE: '5/min' },
    });
    for (const name of ['alice', 'bob', 'carl', 'dora', 'eve', 'fay', 'gus']) await t.user(name);
  });
  after(() => t.close());

  async function sessionLogin(username: string, password: string) {
    const c = t.client();
    await c.primeCsrf();
    return c.request('POST', '/api/login/', { json: { username, password }, csrf: true });
  }

  test('AUTH-04: after N failures the right password also answers 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await sessionLogin('alice', 'wrong')).status, 401);
    const res = await sessionLogin('alice', 'Pw-12345678');
    assert.equal(res.status, 429);
    assert.equal(res.body, '{"detail":"Request was throttled. Expected available in 60 seconds."}');
    assert.equal(res.headers['retry-after'], '60');
    // The three login endpoints share the bucket.
    const token = await t
      .client()
      .request('POST', '/api-token-auth/', { json: { username: 'alice', password: 'Pw-12345678' } });
    assert.equal(token.status, 429);
    clock.advance(59_000);
    const later = await sessionLogin('alice', 'Pw-12345678');
    assert.equal(later.body, '{"detail":"Request was throttled. Expected available in 1 second."}');
    assert.equal(later.headers['retry-after'], '1');
    clock.advance(1_000);
    assert.equal((await sessionLogin('alice', 'Pw-12345678')).status, 200);
  });

  test('successful logins count in neither bucket', async () => {
    clock.advance(120_000);
    for (let i = 0; i < 8; i++) assert.equal((await sessionLogin('bob', 'Pw-12345678')).status, 200);
  });

  test('AUTH-05: failures from one address across many accounts fill the address bucket', async () => {
    clock.advance(120_000);
    for (const name of ['carl', 'dora', 'eve', 'fay', 'carl'])
      assert.equal((await sessionLogin(name, 'wrong')).status, 401);
    const res = await sessionLogin('gus', 'Pw-12345678');
    assert.equal(res.status, 429);
  });
});
