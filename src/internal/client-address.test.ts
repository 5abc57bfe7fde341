import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressKey } from './client-address.ts';

test('IPv4 is its own key', () => {
  assert.equal(addressKey('192.0.2.1'), '192.0.2.1');
});

test('AUTH-05: IPv4-mapped IPv6 in every spelling is the IPv4 address', () => {
  for (const variant of [
    '::ffff:192.0.2.1',
    '::FFFF:192.0.2.1',
    '::ffff:c000:201',
    '::FFFF:c000:201',
    '0:0:0:0:0:ffff:c000:0201',
    '[::ffff:192.0.2.1]',
  ]) {
    assert.equal(addressKey(variant), '192.0.2.1', variant);
  }
});

test('AUTH-05: IPv6 addresses are keyed by their /64, whatever the spelling', () => {
  for (const variant of [
    '2001:db8:1:2::a',
    '2001:db8:1:2::ffff',
    '2001:DB8:1:2::A',
    '2001:0db8:0001:0002:0000:0000:0000:000a',
    '2001:db8:1:2:ffff:ffff:ffff:ffff',
    '[2001:db8:1:2::a]',
    '2001:db8:1:2::1%eth0',
  ]) {
    assert.equal(addressKey(variant), '2001:db8:1:2::/64', variant);
  }
  assert.equal(addressKey('2001:db8:1:3::a'), '2001:db8:1:3::/64');
});

test('compressed prefixes expand before masking', () => {
  assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressKey('::1'), '0:0:0:0::/64');
  assert.equal(addressKey('::'), '0:0:0:0::/64');
});

test('a trailing dotted quad in a non-mapped address is read as two hextets', () => {
  assert.equal(addressKey('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
});

test('anything that is not an IP address is kept as is', () => {
  assert.equal(addressKey(''), '');
  assert.equal(addressKey('unix:/run/gatehouse.sock'), 'unix:/run/gatehouse.sock');
});
