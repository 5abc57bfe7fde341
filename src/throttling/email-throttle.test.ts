import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Throttled } from '../errors.ts';
import { createMemoryStores } from '../stores/memory/index.ts';
import { createFakeClock } from '../testing/fake-clock.ts';
import { EmailThrottle } from './email-throttle.ts';
import { RegisterThrottle } from './register-throttle.ts';

const from = (clientAddress: string) => ({ clientAddress, path: '/auth/users/reset_password/' });

function setup(rate: string) {
  const clock = createFakeClock(0);
  const { counters } = createMemoryStores({ clock });
  const keys: string[] = [];
  const spying = {
    ...counters,
    increment: (key: string, ttl: number) => {
      keys.push(key);
      return counters.increment(key, ttl);
    },
  };
  return {
    clock,
    keys,
    email: new EmailThrottle({ counters: spying, rate, clock }),
    register: new RegisterThrottle({ counters: spying, rate, clock }),
  };
}

test('per target address: NFKC and case folded, so Alice@ and alice@ share it; never stored in clear', async () => {
  const { email, keys } = setup('2/hour');
  await email.hit(from('192.0.2.1'), 'alice@example.com');
  await email.hit(from('192.0.2.2'), 'ALICE@Example.COM');
  await assert.rejects(email.hit(from('192.0.2.3'), 'alice@example.com'), Throttled);
  await email.hit(from('192.0.2.3'), 'bob@example.com');
  for (const key of keys) assert.ok(!/alice|bob|example/i.test(key), key);
});

test("a client refused by its own bucket does not use up the target's", async () => {
  const { email } = setup('1/hour');
  await email.hit(from('192.0.2.1'), 'x@example.com');
  for (let i = 0; i < 5; i++)
    await assert.rejects(email.hit(from('192.0.2.1'), 'victim@example.com'), Throttled);
  await email.hit(from('192.0.2.9'), 'victim@example.com');
});

test('Retry-After is the rest of the window; the window ends and the count starts over', async () => {
  const { email, clock } = setup('1/hour');
  await email.hit(from('192.0.2.1'), 'a@example.com');
  clock.advance(600_000);
  const error = await email.hit(from('192.0.2.1'), 'b@example.com').catch((e: unknown) => e);
  assert.ok(error instanceof Throttled);
  assert.deepEqual(error.headers, { 'retry-after': '3000' });
  clock.advance(3_000_000);
  await email.hit(from('192.0.2.1'), 'b@example.com');
});

test('sign-up: one bucket per client address (an IPv6 /64 is one address)', async () => {
  const { register } = setup('2/hour');
  await register.hit(from('2001:db8:1:2::a'));
  await register.hit(from('2001:db8:1:2::b'));
  await assert.rejects(register.hit(from('2001:db8:1:2::c')), Throttled);
  await register.hit(from('2001:db8:1:3::a'));
});
