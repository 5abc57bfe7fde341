import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { VerifiedTokenCache } from './access-cache.ts';
import type { JwtClaims } from './claims.ts';
import { fakeClock, T0 } from './fixtures.ts';

const claims = (exp: number): JwtClaims =>
  Object.freeze({ token_type: 'access', exp, iat: exp - 300, jti: `j${exp}`, user_id: '1' });
const exp = T0 / 1000 + 300;

describe('VerifiedTokenCache', () => {
  it('returns what was stored, until the token’s exp, then forgets it', () => {
    const clock = fakeClock();
    const cache = new VerifiedTokenCache({ clock });
    const c = claims(exp);
    cache.set('t1', c);
    assert.equal(cache.get('t1'), c);
    assert.equal(cache.get('t2'), undefined);
    clock.set(exp * 1000 - 1);
    assert.equal(cache.get('t1'), c);
    clock.set(exp * 1000);
    assert.equal(cache.get('t1'), undefined);
    assert.equal(cache.size, 0);
  });

  it('does not store a token that has already expired', () => {
    const clock = fakeClock(exp * 1000);
    const cache = new VerifiedTokenCache({ clock });
    cache.set('t1', claims(exp));
    assert.equal(cache.size, 0);
  });

  it('is bounded: past max, the least recently used entry goes', () => {
    const cache = new VerifiedTokenCache({ max: 3, clock: fakeClock() });
    for (const t of ['a', 'b', 'c']) cache.set(t, claims(exp));
    cache.get('a'); // a is now the most recently used
    cache.set('d', claims(exp));
    assert.equal(cache.size, 3);
    assert.equal(cache.get('b'), undefined);
    for (const t of ['a', 'c', 'd']) assert.ok(cache.get(t));
  });

  it('when full, also sweeps expired entries at the front', () => {
    const clock = fakeClock();
    const cache = new VerifiedTokenCache({ max: 3, clock });
    cache.set('short1', claims(T0 / 1000 + 10));
    cache.set('short2', claims(T0 / 1000 + 10));
    cache.set('long', claims(exp));
    clock.advance(20_000);
    cache.set('new', claims(exp));
    assert.equal(cache.size, 2);
    assert.ok(cache.get('long'));
    assert.ok(cache.get('new'));
  });

  it('delete and clear', () => {
    const cache = new VerifiedTokenCache({ clock: fakeClock() });
    cache.set('a', claims(exp));
    cache.set('b', claims(exp));
    assert.equal(cache.delete('a'), true);
    assert.equal(cache.get('a'), undefined);
    cache.clear();
    assert.equal(cache.size, 0);
  });

  it('refuses a max that is not a positive integer', () => {
    for (const max of [0, -1, 1.5, Number.NaN])
      assert.throws(() => new VerifiedTokenCache({ max }), ConfigurationError);
  });
});
