import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { setImmediate } from 'node:timers/promises';
import { cryptoRandom, type Random } from '../internal/random.ts';
import { createFakeClock } from '../testing/fake-clock.ts';
import {
  checkPendingLogin,
  hashEphemeralToken,
  type LoginKind,
  MemoryPendingLoginStore,
  mintBindingCookie,
  mintPendingLogin,
  PENDING_LOGIN_TTL_MS,
  type PendingLogin,
  pendingLoginBinding,
  verifyPendingLogin,
} from './pending-login.ts';

const HERE = pendingLoginBinding({ address: '203.0.113.7' });
const ELSEWHERE = pendingLoginBinding({ address: '198.51.100.9' });

async function started(kind: LoginKind = 'jwt', binding = HERE) {
  const clock = createFakeClock();
  const store = new MemoryPendingLoginStore();
  const { token, record } = mintPendingLogin({
    kind,
    userId: 7,
    binding,
    now: clock.now(),
    random: cryptoRandom,
  });
  await store.create(record, record.createdAt + PENDING_LOGIN_TTL_MS);
  return { clock, store, token, record };
}

const right = async () => true;
const wrong = async () => false;

test('an ephemeral token carries 256 random bits; the store keeps only its SHA-256', () => {
  const fixed: Random = { bytes: (n) => Buffer.alloc(n, 0xab), string: () => '' };
  const { token, record } = mintPendingLogin({
    kind: 'session',
    userId: 7,
    binding: HERE,
    now: 1000,
    random: fixed,
  });
  assert.equal(token, Buffer.alloc(32, 0xab).toString('base64url'));
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(record, {
    tokenHash: createHash('sha256').update(token).digest('hex'),
    kind: 'session',
    userId: 7,
    binding: HERE,
    createdAt: 1000,
    attempts: 0,
  });
  assert.ok(!JSON.stringify(record).includes(token));
  const tokens = new Set<string>();
  for (let i = 0; i < 1000; i++)
    tokens.add(
      mintPendingLogin({ kind: 'jwt', userId: 1, binding: HERE, now: 0, random: cryptoRandom }).token,
    );
  assert.equal(tokens.size, 1000);
});

test('only a token of our shape is hashed; dj-rest-auth signed tokens and junk are refused unread', () => {
  const token = Buffer.alloc(32, 1).toString('base64url');
  assert.equal(hashEphemeralToken(token), createHash('sha256').update(token).digest('hex'));
  for (const bad of [
    '',
    `${token}x`,
    token.slice(1),
    `${token.slice(1)}=`,
    '1:1vfqWm:Ab3',
    42,
    null,
    'x'.repeat(1_000_000),
  ]) {
    assert.equal(hashEphemeralToken(bad), null, String(bad).slice(0, 40));
  }
});

test('the binding is a hash of the cookie or of the address, and the two never collide', () => {
  assert.equal(pendingLoginBinding({ address: '203.0.113.7' }), HERE);
  assert.notEqual(pendingLoginBinding({ cookie: '203.0.113.7' }), HERE);
  assert.match(HERE, /^[0-9a-f]{64}$/);
  assert.match(mintBindingCookie(cryptoRandom), /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(mintBindingCookie(cryptoRandom), mintBindingCookie(cryptoRandom));
});

test('a pending login lives 300 s, allows 5 codes, and only for the client that started it', () => {
  const record: PendingLogin = {
    tokenHash: 'h',
    kind: 'jwt',
    userId: 7,
    binding: HERE,
    createdAt: 1_000_000,
    attempts: 0,
  };
  assert.equal(checkPendingLogin(record, { now: 1_000_000, binding: HERE }), null);
  assert.equal(checkPendingLogin(record, { now: 1_299_999, binding: HERE }), null);
  assert.equal(checkPendingLogin(record, { now: 1_300_000, binding: HERE }), 'expired');
  assert.equal(checkPendingLogin(record, { now: 999_999, binding: HERE }), 'expired');
  assert.equal(checkPendingLogin({ ...record, attempts: 4 }, { now: 1_000_000, binding: HERE }), null);
  assert.equal(checkPendingLogin({ ...record, attempts: 5 }, { now: 1_000_000, binding: HERE }), 'exhausted');
  assert.equal(checkPendingLogin(record, { now: 1_000_000, binding: ELSEWHERE }), 'binding');
});

test('a right code finishes the login it started, once', async () => {
  const { clock, store, token } = await started('authtoken');
  const outcome = await verifyPendingLogin(store, { token, binding: HERE, now: clock.now() }, right);
  assert.ok(outcome.ok);
  assert.equal(outcome.record.kind, 'authtoken');
  assert.equal(outcome.record.userId, 7);
  assert.equal(outcome.record.attempts, 1);
  assert.deepEqual(await verifyPendingLogin(store, { token, binding: HERE, now: clock.now() }, right), {
    ok: false,
    error: 'ephemeral_token',
  });
});

test('a wrong code is a code error; the token dies after 5 wrong codes', async () => {
  const { clock, store, token } = await started();
  let checks = 0;
  const counting = async () => {
    checks++;
    return false;
  };
  for (let i = 0; i < 5; i++) {
    assert.deepEqual(await verifyPendingLogin(store, { token, binding: HERE, now: clock.now() }, counting), {
      ok: false,
      error: 'code',
    });
  }
  assert.deepEqual(await verifyPendingLogin(store, { token, binding: HERE, now: clock.now() }, right), {
    ok: false,
    error: 'ephemeral_token',
  });
  assert.equal(checks, 5);
});

test('four wrong codes and then the right one still log in', async () => {
  const { clock, store, token } = await started();
  for (let i = 0; i < 4; i++)
    await verifyPendingLogin(store, { token, binding: HERE, now: clock.now() }, wrong);
  const outcome = await verifyPendingLogin(store, { token, binding: HERE, now: clock.now() }, right);
  assert.ok(outcome.ok);
  assert.equal(outcome.record.attempts, 5);
});

test('the token dies after 300 s', async () => {
  const { clock, store, token } = await started();
  clock.advance(PENDING_LOGIN_TTL_MS - 1);
  assert.equal((await store.get(hashEphemeralToken(token)!, clock.now())) !== null, true);
  clock.advance(1);
  let checked = false;
  const outcome = await verifyPendingLogin(store, { token, binding: HERE, now: clock.now() }, async () => {
    checked = true;
    return true;
  });
  assert.deepEqual(outcome, { ok: false, error: 'ephemeral_token' });
  assert.equal(checked, false, 'no code is checked for a dead token');
});

test('a stolen token is useless from another client, and cannot burn the real client’s attempts', async () => {
  const { clock, store, token } = await started(
    'session',
    pendingLoginBinding({ cookie: 'the-real-cookie' }),
  );
  for (let i = 0; i < 20; i++) {
    const outcome = await verifyPendingLogin(
      store,
      { token, binding: pendingLoginBinding({ cookie: 'a-thief' }), now: clock.now() },
      right,
    );
    assert.deepEqual(outcome, { ok: false, error: 'ephemeral_token' });
  }
  const real = await verifyPendingLogin(
    store,
    { token, binding: pendingLoginBinding({ cookie: 'the-real-cookie' }), now: clock.now() },
    right,
  );
  assert.ok(real.ok);
  assert.equal(real.record.attempts, 1);
});

test('AUTH-09b: a parallel burst of guesses gets no more than 5 codes checked', async () => {
  const { clock, store, token } = await started();
  let checks = 0;
  const slowWrong = async () => {
    checks++;
    await setImmediate(); // let the other requests run in between, as real I/O would
    return false;
  };
  const outcomes = await Promise.all(
    Array.from({ length: 50 }, () =>
      verifyPendingLogin(store, { token, binding: HERE, now: clock.now() }, slowWrong),
    ),
  );
  assert.equal(checks, 5);
  assert.equal(outcomes.filter((o) => !o.ok && o.error === 'code').length, 5);
  assert.equal(outcomes.filter((o) => !o.ok && o.error === 'ephemeral_token').length, 45);
});

test('two right codes at once finish the login once', async () => {
  const { clock, store, token } = await started();
  const slowRight = async () => {
    await setImmediate();
    return true;
  };
  const outcomes = await Promise.all(
    [1, 2].map(() => verifyPendingLogin(store, { token, binding: HERE, now: clock.now() }, slowRight)),
  );
  assert.equal(outcomes.filter((o) => o.ok).length, 1);
  assert.deepEqual(
    outcomes.find((o) => !o.ok),
    { ok: false, error: 'ephemeral_token' },
  );
});

test('the memory store forgets an expired record and consumes a live one once', async () => {
  const store = new MemoryPendingLoginStore();
  const { record } = mintPendingLogin({
    kind: 'token',
    userId: 1,
    binding: HERE,
    now: 0,
    random: cryptoRandom,
  });
  await store.create(record, 100);
  assert.equal((await store.recordAttempt(record.tokenHash, { now: 50, maxAttempts: 1 }))?.attempts, 1);
  assert.equal(await store.recordAttempt(record.tokenHash, { now: 50, maxAttempts: 1 }), null);
  assert.deepEqual(await store.get(record.tokenHash, 99), { ...record, attempts: 1 });
  assert.equal(await store.get(record.tokenHash, 100), null);
  assert.equal(await store.consume(record.tokenHash, 100), null);
  await store.create(record, 100);
  assert.deepEqual(await store.consume(record.tokenHash, 0), record);
  assert.equal(await store.consume(record.tokenHash, 0), null);
});
