import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreUnavailableError } from './errors.ts';
import { createGatehouse } from './gatehouse.ts';
import type { SecurityEvent } from './logging/security-log.ts';
import { createAuthRequest } from './request.ts';
import { Revocations } from './revocations.ts';
import { createCachedStores, MemoryRevocationBus } from './stores/cached/index.ts';
import { createMemoryStores } from './stores/memory/index.ts';
import type { RevocationBus, SessionRecord, Stores } from './stores/types.ts';

// Real time here: the settle wait and the caches' TTL are real durations (kept short).
const TTL_MS = 60;

/** Two instances over one durable store: A revokes, B has the session cached (for up to TTL_MS). */
async function twoInstances(busOfA: (peer: MemoryRevocationBus) => RevocationBus) {
  const durable = createMemoryStores();
  const busOfB = new MemoryRevocationBus();
  const a = createCachedStores(durable, busOfB.peer(), { ttlMs: TTL_MS });
  const b = createCachedStores(durable, busOfB, { ttlMs: TTL_MS });
  const user = await a.users.create({ username: 'alice', email: '', password: 'x', dateJoined: 0 });
  const session: SessionRecord = {
    id: 's1',
    keyHash: 'h1',
    userId: user.id,
    authHash: 'a',
    createdAt: Date.now(),
    lastSeenAt: Date.now(),
    ip: '',
    userAgent: '',
  };
  await a.sessions.create(session);
  assert.ok(await b.sessions.getByKeyHash('h1'));
  const bus = busOfA(busOfB);
  return { a, b, bus, session };
}

/** A bus whose publish never gets through, as with Redis down or this instance cut off from it. */
function unreachable(error: Error, settleMs = TTL_MS + 5): RevocationBus {
  return {
    healthy: false,
    settleMs,
    subscribe: () => () => {},
    publish: async () => {
      throw error;
    },
  };
}

test('a confirmed revocation: the other instance has dropped its copy when it returns', async () => {
  const { a, b, bus } = await twoInstances((peerOfB) => peerOfB.peer());
  await a.sessions.delete('h1');
  assert.ok(await b.sessions.getByKeyHash('h1'), 'B serves its copy until told');
  await new Revocations({ stores: a, bus }).sessionEnded('h1');
  assert.equal(await b.sessions.getByKeyHash('h1'), null);
});

test('a revocation whose signal fails returns (as done) only once every copy read before it has expired', async () => {
  const { a, b, bus } = await twoInstances(() => unreachable(new StoreUnavailableError('redis down')));
  await a.sessions.delete('h1');
  assert.ok(await b.sessions.getByKeyHash('h1'), 'B never hears of it');
  await new Revocations({ stores: a, bus }).sessionEnded('h1');
  assert.equal(await b.sessions.getByKeyHash('h1'), null);
});

test('ending a user’s credentials with the signal down: B’s copies of the user and its sessions are gone on return', async () => {
  const { a, b, bus, session } = await twoInstances(() =>
    unreachable(new StoreUnavailableError('redis down')),
  );
  assert.equal((await b.users.getById(session.userId))?.tokensValidAfter, 0);
  await new Revocations({ stores: a, bus }).endUserCredentials(session.userId, { tokens: true });
  assert.equal(await b.sessions.getByKeyHash('h1'), null);
  assert.notEqual((await b.users.getById(session.userId))?.tokensValidAfter, 0);
});

test('an error that is not an outage still surfaces, once the revocation is in force', async () => {
  const bug = new TypeError('a bug in the bus');
  const { a, b, bus } = await twoInstances(() => unreachable(bug));
  await a.sessions.delete('h1');
  await assert.rejects(() => new Revocations({ stores: a, bus }).sessionEnded('h1'), bug);
  assert.equal(await b.sessions.getByKeyHash('h1'), null);
});

test('settleMs given to Revocations overrides the bus’s', async () => {
  const { a, b, bus } = await twoInstances(() => unreachable(new StoreUnavailableError('down'), 0));
  await a.sessions.delete('h1');
  await new Revocations({ stores: a, bus, settleMs: TTL_MS + 5 }).sessionEnded('h1');
  assert.equal(await b.sessions.getByKeyHash('h1'), null);
});

test('finding: a logout whose publish fails answers as done and writes its security event', async () => {
  const events: SecurityEvent[] = [];
  const stores: Stores = createMemoryStores();
  const gh = createGatehouse({
    stores,
    bus: unreachable(new StoreUnavailableError('redis down'), 5),
    secretKey: 'a-secret-key-long-enough-for-hmac-signing',
    securityLog: (event) => events.push(event),
  });
  const user = await gh.accounts.create({ username: 'alice', password: 'Pw-12345678' });
  const request = (cookie = '') =>
    createAuthRequest({
      method: 'POST',
      url: '/api/logout/',
      headers: { cookie },
      clientAddress: '10.0.0.1',
    });
  const { cookies } = await gh.login(request(), user);
  const cookie = `sessionid=${cookies[0].value}`;
  await gh.logout(request(cookie));
  assert.deepEqual(
    events.map((e) => e.event),
    ['login_succeeded', 'logout'],
  );
  assert.equal(await stores.sessions.listByUser(user.id).then((s) => s.length), 0);
  // The retry finds no row: it answers as done too (and signals again).
  await gh.logout(request(cookie));
});

test('ending a user’s credentials that fails half-way: what did change is in force everywhere before the error', async () => {
  const { a, b, bus, session } = await twoInstances((peerOfB) => peerOfB.peer());
  const outage = new StoreUnavailableError('database down');
  const failing: Stores = {
    ...a,
    tokens: new Proxy(a.tokens, {
      get: (target, method) =>
        method === 'deleteByUser'
          ? async () => {
              throw outage;
            }
          : Reflect.get(target, method).bind(target),
    }),
  };
  await assert.rejects(
    () => new Revocations({ stores: failing, bus }).endUserCredentials(session.userId, { tokens: true }),
    outage,
  );
  assert.equal(await b.sessions.getByKeyHash('h1'), null, 'the session deleted before the failure');
});
