import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFakeClock } from '../../testing/index.ts';
import { Lease } from './lease.ts';

function setup(leaseMs = 500) {
  const clock = createFakeClock(0);
  const lease = new Lease({ leaseMs, now: clock.now });
  return { clock, lease };
}

test('no lease before the subscription is confirmed, and no heartbeat to send', () => {
  const { lease } = setup();
  assert.equal(lease.valid, false);
  assert.equal(lease.send(), null);
});

test('a heartbeat that came back renews the lease until leaseMs after it was SENT, not received', () => {
  const { clock, lease } = setup();
  lease.open();
  const seq = lease.send()!;
  clock.advance(300); // the round trip took 300 ms
  assert.equal(lease.echo(seq), 'restored'); // the first lease
  assert.equal(lease.until, 500);
  clock.advance(199);
  assert.equal(lease.valid, true);
  clock.advance(1);
  assert.equal(lease.valid, false, 'lapsed 500 ms after the send, though received only 200 ms ago');
});

test('a lease renewed in time says renewed; one that lapsed first says restored (caches must clear)', () => {
  const { clock, lease } = setup();
  lease.open();
  lease.echo(lease.send()!);
  clock.advance(100);
  assert.equal(lease.echo(lease.send()!), 'renewed');
  clock.advance(600); // a stall: nothing came back for longer than the lease
  const seq = lease.send()!;
  assert.equal(lease.valid, false);
  assert.equal(lease.echo(seq), 'restored');
  assert.equal(lease.valid, true);
});

test('a heartbeat older than the lease renews nothing', () => {
  const { clock, lease } = setup();
  lease.open();
  const seq = lease.send()!;
  clock.advance(500);
  assert.equal(lease.echo(seq), 'stale');
  assert.equal(lease.valid, false);
});

test('a heartbeat sent before a reconnection does not count on the new subscription', () => {
  const { clock, lease } = setup();
  lease.open();
  lease.echo(lease.send()!);
  const before = lease.send()!;
  lease.close(); // the subscriber connection dropped: what was published meanwhile is lost
  assert.equal(lease.valid, false, 'the lease ends with the connection');
  assert.equal(lease.send(), null);
  lease.open(); // re-subscribed
  clock.advance(10);
  assert.equal(lease.echo(before), 'stale');
  assert.equal(lease.valid, false);
  const after = lease.send()!;
  assert.equal(lease.echo(after), 'restored');
  assert.equal(lease.until, 510);
});

test('echoes arrive in order: an older heartbeat after a newer one renews nothing more', () => {
  const { clock, lease } = setup();
  lease.open();
  const first = lease.send()!;
  clock.advance(100);
  const second = lease.send()!;
  assert.equal(lease.echo(second), 'restored');
  assert.equal(lease.until, 600);
  assert.equal(lease.echo(first), 'stale');
  assert.equal(lease.until, 600);
});

test('a lease never moves backwards', () => {
  const { clock, lease } = setup();
  lease.open();
  const early = lease.send()!;
  clock.advance(100);
  const late = lease.send()!;
  lease.echo(late);
  assert.equal(lease.echo(early), 'stale');
  assert.equal(lease.until, 600);
});
