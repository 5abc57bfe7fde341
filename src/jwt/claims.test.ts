import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JwtCodec } from './codec.ts';
import { accessClaims, decodePart, fakeClock, forge, hs256Codec, SECRET, T0 } from './fixtures.ts';
import { JwtKeys } from './keys.ts';
import { TokenError } from './token-error.ts';

const iat = T0 / 1000;
const header = { alg: 'HS256', typ: 'JWT' };

async function rejects(codec: JwtCodec, token: string, message = 'Token is invalid', reason?: string) {
  await assert.rejects(codec.verify(token, 'access'), (error: unknown) => {
    assert.ok(error instanceof TokenError);
    assert.equal(error.message, message);
    if (reason) assert.equal(error.reason, reason);
    return true;
  });
}

describe('JWT-05: the signature is verified before any claim is read', () => {
  it('a bad signature on an expired token is rejected for the signature, not the expiry', async () => {
    const { codec } = hs256Codec();
    const token = forge(header, accessClaims(iat - 10_000), `${SECRET}-attacker`);
    await rejects(codec, token, 'Token is invalid', 'signature');
  });

  it('a bad signature on a token without exp, jti or type still says Token is invalid', async () => {
    const { codec } = hs256Codec();
    await rejects(
      codec,
      forge(header, { user_id: '1' }, `${SECRET}-attacker`),
      'Token is invalid',
      'signature',
    );
  });
});

describe('JWT-06: exp is required and enforced', () => {
  const { token_type, jti, user_id } = accessClaims(iat);
  const cases: [string, unknown, string][] = [
    ['no exp', undefined, "Token has no 'exp' claim"],
    ['exp = now', iat, 'Token is expired'],
    ['exp = now - 1', iat - 1, 'Token is expired'],
    ['exp = -1', -1, 'Token is expired'],
    ['exp as a string', '9999999999', 'Token is invalid'],
    ['exp = 1e309 (Infinity)', '1e309', 'Token is invalid'],
    ['exp = null', null, 'Token is invalid'],
    ['exp = []', [], 'Token is invalid'],
    ['exp = 2^53 + 1', '9007199254740993', 'Token is invalid'],
    ['exp = true', true, 'Token is invalid'],
  ];
  for (const [name, exp, message] of cases) {
    it(`${name} → ${message}`, async () => {
      const { codec } = hs256Codec();
      const payload = { token_type, exp, iat: iat - 600, jti, user_id };
      let token = forge(header, payload);
      // JSON.stringify cannot write 1e309 or 9007199254740993 as numbers: splice the literal in.
      if (exp === '1e309' || exp === '9007199254740993') {
        token = forge(header, JSON.stringify(payload).replace(`"exp":"${exp}"`, `"exp":${exp}`));
      }
      await rejects(codec, token, message, message === 'Token is invalid' ? 'claims' : undefined);
    });
  }
});

describe('JWT-07: nbf and iat are validated', () => {
  it('nbf beyond now + leeway is rejected; a non-numeric nbf is rejected', async () => {
    const { codec } = hs256Codec();
    await rejects(codec, forge(header, accessClaims(iat, { nbf: iat + 1 })), 'Token is invalid', 'claims');
    await rejects(codec, forge(header, accessClaims(iat, { nbf: 'soon' })), 'Token is invalid', 'claims');
    await codec.verify(forge(header, accessClaims(iat, { nbf: iat })), 'access');
  });

  it('iat in the future beyond the leeway is rejected; within it, accepted', async () => {
    const { codec } = hs256Codec({ leewaySeconds: 5 });
    await rejects(codec, forge(header, accessClaims(iat + 6)), 'Token is invalid', 'claims');
    await codec.verify(forge(header, accessClaims(iat + 5)), 'access');
    await rejects(codec, forge(header, accessClaims(iat, { iat: 'now' })), 'Token is invalid');
  });
});

describe('JWT-08: aud, when configured, is required and matched exactly', () => {
  const keys = new JwtKeys({ algorithm: 'HS256', secret: SECRET });
  const codec = new JwtCodec({ keys, clock: fakeClock(), audience: 'api.example.test' });

  it('the configured audience is written after user_id and verifies', async () => {
    const { token } = await codec.sign('access', '1');
    assert.deepEqual(Object.keys(decodePart(token, 1)), [
      'token_type',
      'exp',
      'iat',
      'jti',
      'user_id',
      'aud',
    ]);
    await codec.verify(token, 'access');
  });

  const bad: [string, unknown][] = [
    ['missing', undefined],
    ['empty', ''],
    ['a suffix attack', 'api.example.test.evil'],
    ['another audience', 'https://other.example.test'],
    ['a list without ours', ['other']],
    ['an object', { aud: 'api.example.test' }],
    ['a list with a non-string', ['api.example.test', 1]],
  ];
  for (const [name, aud] of bad) {
    it(`aud ${name} → Token is invalid`, async () => {
      await rejects(codec, forge(header, accessClaims(iat, { aud })), 'Token is invalid', 'audience');
    });
  }

  it('a list containing ours is accepted (PyJWT’s rule)', async () => {
    await codec.verify(forge(header, accessClaims(iat, { aud: ['other', 'api.example.test'] })), 'access');
  });

  it('an expired token with the wrong aud says expired, as PyJWT checks exp first', async () => {
    await rejects(codec, forge(header, accessClaims(iat - 400, { aud: 'other' })), 'Token is expired');
  });
});

describe('JWT-09: iss, when configured, is required and exact; user_id is handled consistently', () => {
  const codec = new JwtCodec({
    keys: new JwtKeys({ algorithm: 'HS256', secret: SECRET }),
    clock: fakeClock(),
    issuer: 'https://gatehouse.test',
  });

  it('a missing or different iss is rejected', async () => {
    await codec.verify((await codec.sign('access', '1')).token, 'access');
    await rejects(codec, forge(header, accessClaims(iat)), 'Token is invalid', 'issuer');
    await rejects(
      codec,
      forge(header, accessClaims(iat, { iss: 'https://gatehouse.test.evil' })),
      'Token is invalid',
    );
  });

  it('user_id 1 and "1" give the same claims', async () => {
    const { codec: plain } = hs256Codec();
    const a = await plain.verify(forge(header, accessClaims(iat, { user_id: 1 })), 'access');
    const b = await plain.verify(forge(header, accessClaims(iat, { user_id: '1' })), 'access');
    assert.equal(a.user_id, b.user_id);
  });
});

describe('JWT-10: access and refresh tokens are mutually exclusive kinds', () => {
  it('a refresh token is not an access token, and an access token is not a refresh token', async () => {
    const { codec } = hs256Codec();
    const { refresh, access } = await codec.signPair('1');
    await rejects(codec, refresh.token, 'Token has wrong type');
    await assert.rejects(codec.verify(access.token, 'refresh'), { message: 'Token has wrong type' });
  });

  it('a token minted for another purpose with the same key is neither', async () => {
    const { codec } = hs256Codec();
    const reset = forge(header, accessClaims(iat, { token_type: 'password_reset' }));
    await rejects(codec, reset, 'Token has wrong type');
    await assert.rejects(codec.verify(reset, 'refresh'), { message: 'Token has wrong type' });
    const typed = forge({ alg: 'HS256', typ: 'reset+jwt' }, accessClaims(iat));
    await rejects(codec, typed, 'Token is invalid', 'header');
  });
});
