import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HealthReportingBus } from '../../src/stores/cached/hot-cache.ts';
import type { RevocationMessage } from '../../src/stores/types.ts';
import { unique } from './fixture.ts';

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
