import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFakeClock } from '../../testing/index.ts';
import { Confirmations } from './confirmations.ts';

const LEASE = 500;
const MARGIN = 10;

type Tracked = { state: 'pending' | 'resolved' | 'rejected' };

/** Follows a confirmation's outcome from the moment it is made (so no rejection goes unhandled). */
function track(promise: Promise<void>): Tracked {
  const tracked: Tracked = { state: 'pending' };
  promise.then(
    () => (tracked.state = 'resolved'),
    () => (tracked.state = 'rejected'),
  );
  return tracked;
}

/** The outcome so far, once pending callbacks have run. */
async function state(tracked: Tracked): Promise<Tracked['state']> {
  await new Promise((resolve) => setImmediate(resolve));
  return tracked.state;
}

/** Subscribed a lease ago (so only known peers count), having heard peers `b` and `c` just now. */
function setup() {
  const clock = createFakeClock(0);
  const confirmations = new Confirmations({ leaseMs: LEASE, marginMs: MARGIN, now: clock.now });
  confirmations.subscribed();
  clock.advance(LEASE + MARGIN);
  confirmations.heard('b');
  confirmations.heard('c');
  return { clock, confirmations };
}

test('confirmed once our revocation came back and every live peer acknowledged it', async () => {
  const { confirmations } = setup();
  const done = track(confirmations.expect('1'));
  confirmations.echoed('1');
  confirmations.acked('1', 'b');
  confirmations.settle();
  assert.equal(await state(done), 'pending', 'c has not acknowledged');
  confirmations.acked('1', 'c'); // the last one awaited: confirmed at once, no sweep needed
  assert.equal(await state(done), 'resolved');
  assert.equal(confirmations.settle(), null);
});

test('never before it came back, however many acknowledgements', async () => {
  const { confirmations } = setup();
  const done = track(confirmations.expect('1'));
  confirmations.acked('1', 'b');
  confirmations.acked('1', 'c');
  confirmations.settle();
  assert.equal(await state(done), 'pending');
  confirmations.echoed('1');
  confirmations.settle();
  assert.equal(await state(done), 'resolved');
});

test('a peer that does not acknowledge is waited for until its lease must have ended, and not a moment less', async () => {
  const { clock, confirmations } = setup();
  clock.advance(100); // b and c were heard 100 ms ago: their leases end within 400 ms (+ margin)
  const done = track(confirmations.expect('1'));
  confirmations.echoed('1');
  confirmations.acked('1', 'b');
  assert.equal(confirmations.settle(), clock.now() + LEASE - 100 + MARGIN, 'the next deadline');
  clock.advance(LEASE - 100 + MARGIN - 1);
  confirmations.settle();
  assert.equal(await state(done), 'pending');
  clock.advance(1);
  confirmations.settle();
  assert.equal(await state(done), 'resolved');
});

test('a peer heard more than a lease ago holds none: nothing to wait for', async () => {
  const { clock, confirmations } = setup();
  clock.advance(LEASE + MARGIN);
  confirmations.heard('c'); // c is alive; b went silent
  const done = track(confirmations.expect('1'));
  confirmations.echoed('1');
  confirmations.acked('1', 'c');
  confirmations.settle();
  assert.equal(await state(done), 'resolved');
});

test('subscribed less than a lease ago: wait out peers we could not have heard of yet', async () => {
  const clock = createFakeClock(0);
  const confirmations = new Confirmations({ leaseMs: LEASE, marginMs: MARGIN, now: clock.now });
  confirmations.subscribed();
  clock.advance(50);
  const done = track(confirmations.expect('1'));
  confirmations.echoed('1');
  assert.equal(confirmations.settle(), LEASE + MARGIN);
  assert.equal(await state(done), 'pending');
  clock.advance(LEASE + MARGIN - 50);
  confirmations.settle();
  assert.equal(await state(done), 'resolved');
});

test('a peer that said goodbye is not waited for', async () => {
  const { confirmations } = setup();
  const done = track(confirmations.expect('1'));
  confirmations.echoed('1');
  confirmations.acked('1', 'b');
  confirmations.left('c');
  confirmations.settle();
  assert.equal(await state(done), 'resolved');
});

test('our subscription lost: what has not come back fails, what has keeps waiting out the leases', async () => {
  const { clock, confirmations } = setup();
  const echoed = track(confirmations.expect('1'));
  const inFlight = track(confirmations.expect('2'));
  confirmations.echoed('1');
  confirmations.lost(new Error('connection lost'));
  assert.equal(await state(inFlight), 'rejected');
  confirmations.settle();
  assert.equal(await state(echoed), 'pending', 'b and c may still hold leases');
  clock.advance(LEASE + MARGIN);
  confirmations.settle();
  assert.equal(await state(echoed), 'resolved');
});

test('a timeout fails only what has not come back; failAll fails everything', async () => {
  const { confirmations } = setup();
  const echoed = track(confirmations.expect('1'));
  const lost = track(confirmations.expect('2'));
  confirmations.echoed('1');
  confirmations.fail('1', new Error('timeout'), { unlessEchoed: true });
  confirmations.fail('2', new Error('timeout'), { unlessEchoed: true });
  assert.equal(await state(lost), 'rejected');
  assert.equal(await state(echoed), 'pending');
  confirmations.failAll(new Error('closed'));
  assert.equal(await state(echoed), 'rejected');
  assert.equal(confirmations.pending, 0);
});

test('acknowledgements of other ids, or from peers not waited for, change nothing', async () => {
  const { confirmations } = setup();
  const done = track(confirmations.expect('1'));
  confirmations.echoed('1');
  confirmations.acked('2', 'b');
  confirmations.acked('2', 'c');
  confirmations.acked('1', 'z');
  confirmations.settle();
  assert.equal(await state(done), 'pending');
});
