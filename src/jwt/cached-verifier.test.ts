import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerifiedTokenCache } from './access-cache.ts';
import { CachedVerifier } from './cached-verifier.ts';
import { JwtCodec } from './codec.ts';
import { accessClaims, forge, hs256Codec, SECRET, T0 } from './fixtures.ts';
import { TokenError } from './token-error.ts';

/** A codec that counts how often jose is really asked. */
function counting() {
  const { codec, clock } = hs256Codec();
  let calls = 0;
  const verify = codec.verify.bind(codec);
  codec.verify = (token, type) => {
    calls++;
    return verify(token, type);
  };
  return { codec, clock, calls: () => calls };
}

describe('CachedVerifier', () => {
  it('a reused access token is verified by jose only once', async () => {
    const { codec, calls } = counting();
    const verifier = new CachedVerifier(codec);
    const { token } = await codec.sign('access', '1');
    const first = await verifier.verifyAccess(token);
    for (let i = 0; i < 100; i++) assert.equal(await verifier.verifyAccess(token), first);
    assert.equal(calls(), 1);
  });

  it('at exp the entry is gone and the codec answers Token is expired', async () => {
    const { codec, clock, calls } = counting();
    const verifier = new CachedVerifier(codec);
    const { token } = await codec.sign('access', '1');
    await verifier.verifyAccess(token);
    clock.advance(300_000);
    await assert.rejects(verifier.verifyAccess(token), { message: 'Token is expired' });
    assert.equal(calls(), 2);
  });

  it('failures are never cached: a refresh token or a forgery pays full verification every time', async () => {
    const { codec, calls } = counting();
    const verifier = new CachedVerifier(codec);
    const { token: refresh } = await codec.sign('refresh', '1');
    const forged = forge({ alg: 'HS256', typ: 'JWT' }, accessClaims(T0 / 1000), `${SECRET}-attacker`);
    for (let i = 0; i < 3; i++) {
      await assert.rejects(verifier.verifyAccess(refresh), { message: 'Token has wrong type' });
      await assert.rejects(verifier.verifyAccess(forged), { message: 'Token is invalid' });
    }
    assert.equal(calls(), 6);
    assert.equal(verifier.cache.size, 0);
  });

  it('an over-long token skips the cache and is rejected', async () => {
    const { codec } = counting();
    const verifier = new CachedVerifier(codec);
    await assert.rejects(verifier.verifyAccess('a'.repeat(9000)), (e: unknown) => e instanceof TokenError);
  });

  it('uses a given cache, with the codec left alone', async () => {
    const { codec, clock } = hs256Codec();
    const cache = new VerifiedTokenCache({ max: 1, clock });
    const verifier = new CachedVerifier(codec, cache);
    const a = await codec.sign('access', '1');
    const b = await codec.sign('access', '2');
    await verifier.verifyAccess(a.token);
    await verifier.verifyAccess(b.token);
    assert.equal(cache.size, 1);
    assert.equal(cache.get(b.token)?.user_id, '2');
    assert.ok(verifier.codec instanceof JwtCodec);
  });
});
