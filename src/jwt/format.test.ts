import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { JwtCodec } from './codec.ts';
import {
  accessClaims,
  b64,
  fakeClock,
  forge,
  forgeAsymmetric,
  hmacSign,
  hs256Codec,
  SECRET,
  T0,
} from './fixtures.ts';
import { JwtKeys } from './keys.ts';
import { TokenError } from './token-error.ts';

const iat = T0 / 1000;
const claims = accessClaims(iat);
const header = { alg: 'HS256', typ: 'JWT' };

async function invalid(codec: JwtCodec, token: string, reason?: string) {
  await assert.rejects(codec.verify(token, 'access'), (error: unknown) => {
    assert.ok(error instanceof TokenError, String(error));
    assert.equal(error.message, 'Token is invalid');
    if (reason) assert.equal(error.reason, reason);
    return true;
  });
}

function edDeployment() {
  const current = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keys = new JwtKeys({
    algorithm: 'EdDSA',
    signingKey: { kid: 'k1', privateKey: current.privateKey },
    verificationKeys: [{ kid: 'es-old', publicKey: other.publicKey, algorithm: 'ES256' }],
  });
  return { current, codec: new JwtCodec({ keys, clock: fakeClock() }) };
}

describe('JWT-11: kid, jku, x5u, jwk and x5c never introduce keys', () => {
  const realFetch = globalThis.fetch;
  let fetched = 0;
  beforeEach(() => {
    fetched = 0;
    globalThis.fetch = (async () => {
      fetched++;
      throw new Error('no network in this test');
    }) as typeof fetch;
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it("a token signed with the attacker's key embedding the attacker's jwk is rejected", async () => {
    const { codec } = edDeployment();
    const attacker = generateKeyPairSync('ed25519');
    const jwk = attacker.publicKey.export({ format: 'jwk' });
    await invalid(
      codec,
      forgeAsymmetric({ alg: 'EdDSA', jwk, typ: 'JWT' }, claims, attacker.privateKey),
      'header',
    );
    await invalid(
      codec,
      forgeAsymmetric({ alg: 'EdDSA', typ: 'JWT' }, claims, attacker.privateKey),
      'signature',
    );
  });

  it('jku, x5u and x5c are rejected with no outbound request', async () => {
    const { codec, current } = edDeployment();
    for (const extra of [
      { jku: 'https://evil.example/jwks.json' },
      { x5u: 'https://evil.example/c.pem' },
      { x5c: ['MIIBszCCAVmgAwIBAgIUSelfSigned'] },
    ]) {
      await invalid(
        codec,
        forgeAsymmetric({ alg: 'EdDSA', kid: 'k1', ...extra }, claims, current.privateKey),
        'header',
      );
    }
    assert.equal(fetched, 0);
  });

  for (const kid of [
    '../../../../dev/null',
    "' OR '1'='1",
    '\u0000',
    'x'.repeat(10_000),
    'unknown',
    'es-old',
  ]) {
    it(`kid ${JSON.stringify(kid.slice(0, 24))} is rejected on EdDSA and HMAC deployments`, async () => {
      const { codec, current } = edDeployment();
      await invalid(codec, forgeAsymmetric({ alg: 'EdDSA', kid, typ: 'JWT' }, claims, current.privateKey));
      const { codec: hmac } = hs256Codec();
      await invalid(hmac, forge({ alg: 'HS256', kid, typ: 'JWT' }, claims));
    });
  }
});

describe('JWT-12: the compact format is strict', () => {
  const { codec } = hs256Codec();
  const good = forge(header, claims);
  const [h, p, s] = good.split('.');

  it('control: the untouched token verifies', async () => {
    await codec.verify(good, 'access');
  });

  const malformed: [string, string][] = [
    ['JSON serialization with a valid signature', JSON.stringify({ payload: p, protected: h, signature: s })],
    ['2 segments', `${h}.${p}`],
    ['4 segments', `${good}.${s}`],
    ['= padding', `${h}.${p}=.${s}`],
    ['padding on the signature', `${good}=`],
    ['a space inside', `${h}.${p} .${s}`],
    ['a newline inside', `${h}.\n${p}.${s}`],
    ['a trailing newline', `${good}\n`],
    ['a non-base64url character', `${h}.${p.replace(/^./, '+')}.${s}`],
    ['an empty signature', `${h}.${p}.`],
  ];
  for (const [name, token] of malformed) {
    it(`${name} → Token is invalid`, async () => invalid(codec, token, 'malformed'));
  }

  const signed: [string, string, string][] = [
    ['a header that is not a JSON object', b64('"HS256"'), b64(claims)],
    ['a header that is an array', b64([header]), b64(claims)],
    ['a payload that is a JSON array', b64(header), b64([claims])],
    ['a payload that is a string', b64(header), b64('"access"')],
    ['a payload that is a number', b64(header), b64('42')],
    [
      'a payload with invalid UTF-8',
      b64(header),
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('base64url'),
    ],
    ['crit ["unknown-ext"]', b64({ ...header, crit: ['unknown-ext'], 'unknown-ext': 1 }), b64(claims)],
    ['crit ["b64"] with b64: true', b64({ ...header, crit: ['b64'], b64: true }), b64(claims)],
    ['b64: false', b64({ ...header, b64: false }), b64(claims)],
  ];
  for (const [name, hh, pp] of signed) {
    it(`${name} (correctly signed) → Token is invalid`, async () => invalid(codec, hmacSign(hh, pp, SECRET)));
  }
});

describe('JWT-13: size is bounded; no JWE or compression path', () => {
  it('a token of 8 KiB + 1 is rejected before parsing (the length check answers, not the parser)', async () => {
    const { codec } = hs256Codec();
    const huge = forge(header, { ...claims, pad: 'x'.repeat(8192) });
    await invalid(codec, huge, 'too_long');
    await invalid(codec, 'a'.repeat(8193), 'too_long');
  });

  it('a 5-segment JWE is rejected', async () => {
    const { codec } = hs256Codec();
    await invalid(
      codec,
      [b64({ alg: 'dir', enc: 'A256GCM' }), '', b64('iv'), b64('ct'), b64('tag')].join('.'),
    );
    await invalid(
      codec,
      [b64({ alg: 'dir', enc: 'A256GCM' }), 'a', b64('iv'), b64('ct'), b64('tag')].join('.'),
    );
  });

  it('zip: "DEF" in a JWS header is rejected', async () => {
    const { codec } = hs256Codec();
    await invalid(codec, forge({ ...header, zip: 'DEF' }, claims), 'header');
  });
});

describe('RFC 8725 §3.11: the typ header', () => {
  for (const typ of [undefined, 'JWT', 'jwt', 'application/jwt', 'APPLICATION/JWT']) {
    it(`typ ${JSON.stringify(typ) ?? 'absent'} is accepted (PyJWT writes JWT)`, async () => {
      const { codec } = hs256Codec();
      await codec.verify(
        forge(typ === undefined ? { alg: 'HS256' } : { alg: 'HS256', typ }, claims),
        'access',
      );
    });
  }
  for (const typ of ['at+jwt', 'application/at+jwt', 'JOSE', 'JWS', '', 123, null]) {
    it(`typ ${JSON.stringify(typ)} names another kind of token and is rejected`, async () => {
      const { codec } = hs256Codec();
      await invalid(codec, forge({ alg: 'HS256', typ }, claims), 'header');
    });
  }
});
