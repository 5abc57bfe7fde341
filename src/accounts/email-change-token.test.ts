import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEmailChangeToken, type EmailChangeUser, makeEmailChangeToken } from './email-change-token.ts';

const SECRET = 'secret-key-0123456789-abcdefghijklmnopqrstuvwxyz';
const NOW = 1_715_000_000_000;
const USER: EmailChangeUser = { id: 42, password: 'argon2$hash', email: 'alice@example.com' };
const check = (user: EmailChangeUser, token: string, now = NOW, secrets = [SECRET]) =>
  checkEmailChangeToken(user, token, { secrets, now, timeout: 259_200 });

test('the token carries the new address, URL-safe, and verifies for the same user as it is', () => {
  const token = makeEmailChangeToken(USER, 'zoë+new@exämple.com', { secret: SECRET, now: NOW });
  assert.match(token, /^[0-9a-z]+-[0-9a-f]{32}-[A-Za-z0-9_-]+$/);
  assert.equal(check(USER, token), 'zoë+new@exämple.com');
});

test('single use and bound: a changed address, password or id voids it; so does another secret', () => {
  const token = makeEmailChangeToken(USER, 'new@example.com', { secret: SECRET, now: NOW });
  assert.equal(check({ ...USER, email: 'new@example.com' }, token), null, 'once followed, the link is spent');
  assert.equal(check({ ...USER, password: 'argon2$other' }, token), null);
  assert.equal(check({ ...USER, id: 43 }, token), null);
  assert.equal(check(USER, token, NOW, ['another-secret-0123456789-abcdefghijklmnopqrs']), null);
  assert.equal(
    check(USER, token, NOW, ['another-secret-0123456789-abcdefghijklmnopqrs', SECRET]),
    'new@example.com',
  );
});

test('the address cannot be swapped: the HMAC covers it', () => {
  const token = makeEmailChangeToken(USER, 'new@example.com', { secret: SECRET, now: NOW });
  const [ts, mac] = token.split('-');
  const swapped = `${ts}-${mac}-${Buffer.from('eve@evil.example').toString('base64url')}`;
  assert.equal(check(USER, swapped), null);
});

test('it expires after the timeout; junk, oversized and non-address payloads are refused unread', () => {
  const token = makeEmailChangeToken(USER, 'new@example.com', { secret: SECRET, now: NOW });
  assert.equal(check(USER, token, NOW + 259_200_000), 'new@example.com');
  assert.equal(check(USER, token, NOW + 259_201_000), null);
  for (const junk of ['', 'x', `${token}x`, 'a'.repeat(600), token.replace(/-[^-]+$/, '-__4')])
    assert.equal(check(USER, junk), null, junk.slice(0, 40));
  const list = makeEmailChangeToken(USER, 'a@example.com, eve@evil.example', { secret: SECRET, now: NOW });
  assert.equal(check(USER, list), null, 'one plain address, never a list');
});
