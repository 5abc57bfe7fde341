import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { JwtCodec } from './codec.ts';
import {
  accessClaims,
  countingRandom,
  decodePart,
  fakeClock,
  forge,
  hs256Codec,
  SECRET,
  T0,
} from './fixtures.ts';
import { JwtKeys } from './keys.ts';
import { TokenError } from './token-error.ts';

const iat = T0 / 1000;

async function rejects(promise: Promise<unknown>, message: string, reason?: string) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TokenError, `expected a TokenError, got ${error}`);
    assert.equal(error.message, message);
    if (reason) assert.equal(error.reason, reason);
    return true;
  });
}

describe('simplejwt 5.5 wire format', () => {
  it('the header is exactly {"alg":"HS256","typ":"JWT"}', async () => {
    const { codec } = hs256Codec();
    const { token } = await codec.sign('access', '1');
    assert.equal(Buffer.from(token.split('.')[0], 'base64url').toString(), '{"alg":"HS256","typ":"JWT"}');
  });

  it('claims come in simplejwt order: token_type, exp, iat, jti, user_id', async () => {
    const { codec } = hs256Codec({ random: countingRandom() });
    const { token } = await codec.sign('access', 1);
    assert.equal(
      Buffer.from(token.split('.')[1], 'base64url').toString(),
      `{"token_type":"access","exp":${iat + 300},"iat":${iat},"jti":"000102030405460788090a0b0c0d0e0f","user_id":"1"}`,
    );
  });

  it('jti is uuid4().hex from the injected randomness', async () => {
    const { codec } = hs256Codec();
    const { claims } = await codec.sign('refresh', '1');
    assert.match(claims.jti, /^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
  });

  it('user_id is a string, as simplejwt 5.5.1 writes it, for a numeric id too', async () => {
    const { codec } = hs256Codec();
    assert.equal((await codec.sign('access', 42)).claims.user_id, '42');
    assert.equal(decodePart((await codec.sign('access', 42)).token, 1).user_id, '42');
  });

  it('access lives 300 s and refresh 86400 s by default, measured on the injected clock', async () => {
    const { codec, clock } = hs256Codec();
    const { refresh, access } = await codec.signPair('1');
    assert.equal(access.claims.exp - access.claims.iat, 300);
    assert.equal(refresh.claims.exp - refresh.claims.iat, 86400);
    clock.advance(299_999);
    await codec.verify(access.token, 'access');
    clock.advance(1);
    await rejects(codec.verify(access.token, 'access'), 'Token is expired', 'expired');
    clock.set(T0 + 86_399_999);
    await codec.verify(refresh.token, 'refresh');
    clock.advance(1);
    await rejects(codec.verify(refresh.token, 'refresh'), 'Token is expired');
  });

  it('a pair shares its iat second, refresh first (the obtain endpoint key order)', async () => {
    const { codec, clock } = hs256Codec();
    clock.advance(999);
    const pair = await codec.signPair('1');
    assert.deepEqual(Object.keys(pair), ['refresh', 'access']);
    assert.equal(pair.access.claims.iat, iat);
    assert.equal(pair.refresh.claims.iat, iat);
    assert.notEqual(pair.access.claims.jti, pair.refresh.claims.jti);
  });

  it('a token made by simplejwt ≤5.5.0 (integer user_id) verifies, with user_id as a string', async () => {
    const { codec } = hs256Codec();
    const token = forge({ alg: 'HS256', typ: 'JWT' }, accessClaims(iat, { user_id: 1 }));
    const claims = await codec.verify(token, 'access');
    assert.equal(claims.user_id, '1');
  });

  it('a user_id that is neither string nor integer is dropped ("no recognizable user identification")', async () => {
    const { codec } = hs256Codec();
    const token = forge({ alg: 'HS256', typ: 'JWT' }, accessClaims(iat, { user_id: { $ne: 1 } }));
    assert.equal((await codec.verify(token, 'access')).user_id, undefined);
  });

  it('extra claims of a simplejwt token are kept, and verified claims are frozen', async () => {
    const { codec } = hs256Codec();
    const claims = await codec.verify(
      forge({ alg: 'HS256', typ: 'JWT' }, accessClaims(iat, { hash_password: 'AB' })),
    );
    assert.equal(claims.hash_password, 'AB');
    assert.ok(Object.isFrozen(claims));
  });

  it('verify without a type accepts any token_type (simplejwt UntypedToken, the verify endpoint)', async () => {
    const { codec } = hs256Codec();
    await codec.verify((await codec.sign('refresh', '1')).token);
    await codec.verify(forge({ alg: 'HS256', typ: 'JWT' }, accessClaims(iat, { token_type: 'sliding' })));
  });
});

describe('simplejwt 5.5 messages and their precedence', () => {
  const header = { alg: 'HS256', typ: 'JWT' };
  const { token_type, exp, jti, user_id } = accessClaims(iat);
  const cases: [string, unknown, string, string?][] = [
    ['bad signature', 'forged-with-another-secret', 'Token is invalid', 'signature'],
    ['exp in the past', { ...accessClaims(iat - 301) }, 'Token is expired', 'expired'],
    ['exp at now (boundary)', { ...accessClaims(iat - 300) }, 'Token is expired'],
    ['no exp', { token_type, iat, jti, user_id }, "Token has no 'exp' claim"],
    ['no jti', { token_type, exp, iat, user_id }, 'Token has no id'],
    ['no token_type', { exp, iat, jti, user_id }, 'Token has no type'],
    ['a refresh token as access', accessClaims(iat, { token_type: 'refresh' }), 'Token has wrong type'],
    ['no exp and no jti: exp first', { token_type, iat, user_id }, "Token has no 'exp' claim"],
    ['no jti and no type: id first', { exp, iat, user_id }, 'Token has no id'],
    [
      'expired and wrong type: expiry first',
      accessClaims(iat - 400, { token_type: 'refresh' }),
      'Token is expired',
    ],
    ['no iat (every 5.x token has one)', { token_type, exp, jti, user_id }, 'Token is invalid', 'no_iat'],
  ];
  for (const [name, payload, message, reason] of cases) {
    it(`${name} → ${message}`, async () => {
      const { codec } = hs256Codec();
      const token =
        payload === 'forged-with-another-secret'
          ? forge(header, accessClaims(iat), `${SECRET}-other`)
          : forge(header, payload);
      await rejects(codec.verify(token, 'access'), message, reason);
    });
  }

  it('HS512 when HS256 is configured → Token is invalid (never "Invalid algorithm specified")', async () => {
    const { codec } = hs256Codec();
    await rejects(
      codec.verify(forge({ alg: 'HS512', typ: 'JWT' }, accessClaims(iat)), 'access'),
      'Token is invalid',
    );
  });

  it('TokenError carries simplejwt code token_not_valid', async () => {
    const error = new TokenError('Token is blacklisted');
    assert.equal(error.code, 'token_not_valid');
    assert.equal(error.reason, 'blacklisted');
    assert.equal(error.name, 'TokenError');
  });
});

describe('configuration', () => {
  const keys = new JwtKeys({ algorithm: 'HS256', secret: SECRET });

  it('leeway accepts an expired token within it, and is capped at 60 s', async () => {
    const codec = new JwtCodec({ keys, clock: fakeClock(), leewaySeconds: 10 });
    await codec.verify(forge({ alg: 'HS256', typ: 'JWT' }, accessClaims(iat - 305)), 'access');
    await rejects(
      codec.verify(forge({ alg: 'HS256' }, accessClaims(iat - 311)), 'access'),
      'Token is expired',
    );
    for (const leewaySeconds of [61, -1, Number.NaN, Number.POSITIVE_INFINITY, 1.5]) {
      assert.throws(() => new JwtCodec({ keys, leewaySeconds }), ConfigurationError);
    }
  });

  it('lifetimes are positive whole seconds', () => {
    for (const accessLifetimeSeconds of [0, -5, 1.5, Number.NaN]) {
      assert.throws(() => new JwtCodec({ keys, accessLifetimeSeconds }), ConfigurationError);
    }
    const codec = new JwtCodec({ keys, accessLifetimeSeconds: 60, refreshLifetimeSeconds: 3600 });
    assert.equal(codec.accessLifetimeSeconds, 60);
  });

  it('HMAC fallback secrets still verify; new tokens use the current secret', async () => {
    const clock = fakeClock();
    const old = new JwtCodec({ keys, clock });
    const rotated = new JwtCodec({
      keys: new JwtKeys({ algorithm: 'HS256', secret: `${SECRET}-new`, fallbackSecrets: [SECRET] }),
      clock,
    });
    const legacy = await old.sign('access', '1');
    await rotated.verify(legacy.token, 'access');
    const fresh = await rotated.sign('access', '1');
    await rejects(old.verify(fresh.token, 'access'), 'Token is invalid', 'signature');
  });

  it('sign refuses an empty user id or an unknown type', async () => {
    const { codec } = hs256Codec();
    await assert.rejects(codec.sign('access', ''), ConfigurationError);
    await assert.rejects(codec.sign('sliding' as 'access', '1'), ConfigurationError);
  });
});
