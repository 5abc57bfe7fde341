import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Revocations } from '../../src/revocations.ts';
import type { HealthReportingBus } from '../../src/stores/cached/hot-cache.ts';
import { createCachedStores } from '../../src/stores/cached/index.ts';
import type { RevocationMessage, SessionRecord, Stores, TokenRecord } from '../../src/stores/types.ts';
import { countCalls } from '../../src/testing/index.ts';
import { makeUser, unique } from './fixture.ts';

/** Two buses on one channel over two connections, and a way to cut one's connection. */
export interface BusFixture {
  buses: [HealthReportingBus, HealthReportingBus];
  /** Drops the bus's connection as a network or server would; the bus must recover by itself. */
  disrupt(bus: HealthReportingBus): Promise<void>;
  close(): Promise<void>;
}

/**
 * Retries an assertion until it holds (2 s at most): delivery to a subscriber
 * is asynchronous on a real bus, so tests wait for the event, never a fixed time.
 *
 * ```ts
 * await eventually(() => assert.deepEqual(heard, [message]));
 * ```
 */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/**
 * The RevocationBus contract, run on every bus.
 *
 * ```ts
 * revocationBusContract('memory', async () => { const a = new MemoryRevocationBus(); … });
 * ```
 */
export function revocationBusContract(name: string, make: () => Promise<BusFixture>): void {
  describe(`RevocationBus contract: ${name}`, () => {
    let a: HealthReportingBus;
    let b: HealthReportingBus;
    let fixture: BusFixture;
    before(async () => {
      fixture = await make();
      [a, b] = fixture.buses;
    });
    after(() => fixture.close());

    const session = (): RevocationMessage => ({ kind: 'session', keyHash: unique('hash') });
    const listen = (bus: HealthReportingBus) => {
      const heard: RevocationMessage[] = [];
      return { heard, off: bus.subscribe((m) => heard.push(m)) };
    };

    test('a connected bus is healthy', () => {
      assert.equal(a.healthy, true);
      assert.equal(b.healthy, true);
    });

    test('publish reaches every subscriber on every bus, its own included', async () => {
      const [one, two, other] = [listen(a), listen(a), listen(b)];
      const message = session();
      await b.publish(message);
      await eventually(() => {
        for (const l of [one, two, other]) assert.deepEqual(l.heard, [message]);
      });
      for (const l of [one, two, other]) l.off();
    });

    test('every kind of message arrives intact', async () => {
      const l = listen(b);
      const messages: RevocationMessage[] = [
        session(),
        { kind: 'token', keyHash: unique('hash') },
        { kind: 'user', userId: 42 },
      ];
      for (const m of messages) await a.publish(m);
      await eventually(() => assert.deepEqual(l.heard, messages));
      l.off();
    });

    test('an unsubscribed listener hears nothing more', async () => {
      const [gone, stays] = [listen(b), listen(b)];
      gone.off();
      const message = session();
      await a.publish(message);
      await eventually(() => assert.deepEqual(stays.heard, [message]));
      assert.deepEqual(gone.heard, []);
      stays.off();
    });

    test('a listener that throws does not keep the message from the others', async () => {
      const offThrower = b.subscribe(() => {
        throw new Error('listener bug');
      });
      const l = listen(b);
      const message = session();
      await a.publish(message);
      await eventually(() => assert.deepEqual(l.heard, [message]));
      assert.equal(b.healthy, true);
      offThrower();
      l.off();
    });

    test('healthy is false once the connection drops, true again once re-subscribed', async () => {
      const changes: boolean[] = [];
      const offHealth = b.onHealthChange((healthy) => changes.push(healthy));
      await fixture.disrupt(b);
      await eventually(() => assert.deepEqual(changes.slice(0, 2), [false, true]), 5_000);
      assert.equal(b.healthy, true);
      const l = listen(b);
      const message = session();
      await a.publish(message);
      await eventually(() => assert.deepEqual(l.heard, [message]));
      offHealth();
      l.off();
    });
  });
}

/**
 * Two instances, each with cached stores over one durable backend (one SQLite
 * file, say) and its own bus connection: what one revokes, the other stops
 * serving. Run on every bus, with the bus fixture plus each instance's durable stores.
 *
 * ```ts
 * cachedInstancesContract('memory', async () => ({ ...busFixture, durables: [memory, memory] }));
 * ```
 */
export function cachedInstancesContract(
  name: string,
  make: () => Promise<BusFixture & { durables: [Stores, Stores] }>,
): void {
  describe(`cached stores on two instances: ${name}`, () => {
    let fixture: BusFixture;
    let a: Stores;
    let b: Stores;
    let reads: Record<string, number>;
    let revokeOnB: Revocations;
    before(async () => {
      const made = await make();
      fixture = made;
      const counted = countCalls(made.durables[0]);
      reads = counted.calls;
      a = createCachedStores(counted.stores, made.buses[0]);
      b = createCachedStores(made.durables[1], made.buses[1]);
      revokeOnB = new Revocations({ stores: b, bus: made.buses[1] });
    });
    after(async () => {
      await Promise.all([a.close(), b.close()]);
      await fixture.close();
    });

    const newSession = async (userId: number): Promise<SessionRecord> => {
      const session = {
        id: unique('sid'),
        keyHash: unique('hash'),
        userId,
        authHash: 'h',
        createdAt: 1,
        lastSeenAt: 1,
        ip: '',
        userAgent: '',
      };
      await a.sessions.create(session);
      return session;
    };
    const newToken = async (userId: number): Promise<TokenRecord> => {
      const token = {
        id: unique('tok'),
        keyHash: unique('hash'),
        userId,
        name: '',
        createdAt: 1,
        lastUsedAt: null,
        expiresAt: null,
      };
      await a.tokens.create(token);
      return token;
    };

    test('a cache hit makes no durable call; a revocation on B drops the copy cached on A', async () => {
      const session = await newSession((await makeUser(a.users)).id);
      const before = reads['sessions.getByKeyHash'] ?? 0;
      await a.sessions.getByKeyHash(session.keyHash);
      assert.deepEqual(await a.sessions.getByKeyHash(session.keyHash), session);
      assert.equal(reads['sessions.getByKeyHash'], before + 1);
      await b.sessions.delete(session.keyHash);
      assert.deepEqual(
        await a.sessions.getByKeyHash(session.keyHash),
        session,
        'A serves its copy until told',
      );
      await revokeOnB.sessionEnded(session.keyHash);
      await eventually(async () => assert.equal(await a.sessions.getByKeyHash(session.keyHash), null));
    });

    test('a token revoked on B is dropped on A', async () => {
      const user = await makeUser(a.users);
      const token = await newToken(user.id);
      assert.deepEqual(await a.tokens.getByKeyHash(token.keyHash), token);
      await b.tokens.delete(token.id, user.id);
      await revokeOnB.tokenRevoked(token.keyHash);
      await eventually(async () => assert.equal(await a.tokens.getByKeyHash(token.keyHash), null));
    });

    test('ending a user’s credentials on B drops that user, their sessions and tokens on A', async () => {
      const user = await makeUser(a.users);
      const [session, token] = [await newSession(user.id), await newToken(user.id)];
      await Promise.all([
        a.users.getById(user.id),
        a.sessions.getByKeyHash(session.keyHash),
        a.tokens.getByKeyHash(token.keyHash),
      ]);
      await revokeOnB.endUserCredentials(user.id, { tokens: true });
      await eventually(async () => {
        assert.equal(await a.sessions.getByKeyHash(session.keyHash), null);
        assert.equal(await a.tokens.getByKeyHash(token.keyHash), null);
        assert.notEqual((await a.users.getById(user.id))?.tokensValidAfter, 0);
      });
    });

    test('once A’s bus is back from a dropped connection, A’s cache starts empty (messages may be lost)', async () => {
      const session = await newSession((await makeUser(a.users)).id);
      await a.sessions.getByKeyHash(session.keyHash);
      await b.sessions.delete(session.keyHash); // its message "lost": never published
      const changes: boolean[] = [];
      const off = fixture.buses[0].onHealthChange((healthy) => changes.push(healthy));
      await fixture.disrupt(fixture.buses[0]);
      await eventually(() => assert.deepEqual(changes.slice(0, 2), [false, true]), 5_000);
      off();
      assert.equal(await a.sessions.getByKeyHash(session.keyHash), null);
    });
  });
}
