/**
 * The reference server on a private PostgreSQL cluster (and the shared Redis,
 * under its own prefix) whose database is stopped and started mid-run: with a
 * warm cache, no request may get through while the database is down.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { obtainToken, registerAndLogin } from '../helpers/accounts.ts';
import { privateCluster, skipReason } from '../helpers/pg-cluster.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

const REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const reason =
  (await skipReason()) ?? (process.env.GATEHOUSE_TEST_REDIS === '0' ? 'Redis not available' : undefined);

describe('PostgreSQL goes away under a warm cache and comes back', { skip: reason ?? false }, () => {
  let cluster: Awaited<ReturnType<typeof privateCluster>>;
  let server: RunningServer;
  let session: string;
  let token: string;

  before(async () => {
    cluster = await privateCluster();
    await cluster.start();
    server = await startServer({
      DATABASE_URL: cluster.url,
      REDIS_URL,
      GATEHOUSE_REDIS_PREFIX: `ghtest:${randomBytes(4).toString('hex')}:`,
    });
    ({ session } = await registerAndLogin(server.url, 'alice', 'Pw-12345678'));
    token = await obtainToken(server.url, 'alice', 'Pw-12345678');
  });

  after(async () => {
    await server?.stop();
    await cluster?.remove();
  });

  const dashboard = () =>
    fetch(`${server.url}/api/dashboard/`, { headers: { cookie: `sessionid=${session}` } });
  const profile = () => fetch(`${server.url}/api/profile/`, { headers: { authorization: `Token ${token}` } });

  test('SES-16: within a second of the database stopping, cached credentials answer 503, never 2xx; back within 2 s', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await dashboard()).status, 200); // warm
    assert.equal((await profile()).status, 200);
    await cluster.stop();
    const stopped = performance.now();
    let refusedAfter = Number.POSITIVE_INFINITY;
    while (performance.now() - stopped < 5000) {
      const res = await dashboard();
      if (res.status === 503) {
        refusedAfter = performance.now() - stopped;
        assert.equal(await res.text(), '{"detail":"Service temporarily unavailable."}');
        break;
      }
      assert.equal(res.status, 200, 'only the cached answer or 503');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(refusedAfter < 1500, `cached session served for ${refusedAfter} ms after the database stopped`);
    for (const res of [await dashboard(), await profile(), await fetch(`${server.url}/healthz`)]) {
      assert.equal(res.status, 503);
    }

    await cluster.start();
    const back = performance.now();
    let recovered = Number.POSITIVE_INFINITY;
    while (performance.now() - back < 5000) {
      if ((await dashboard()).status === 200) {
        recovered = performance.now() - back;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(recovered < 2000, `recovered after ${recovered} ms`);
    assert.equal((await profile()).status, 200);
  });
});
