import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { JwtCodec } from './codec.ts';
import { accessClaims, b64, fakeClock, forge, forgeAsymmetric, hmacSign, SECRET, T0 } from './fixtures.ts';
import { JwtKeys } from './keys.ts';
import { TokenError } from './token-error.ts';

const iat = T0 / 1000;
const claims = accessClaims(iat);

async function invalid(codec: JwtCodec, token: string) {
  await assert.rejects(codec.verify(token, 'access'), (error: unknown) => {
    assert.ok(error instanceof TokenError);
    assert.equal(error.message, 'Token is invalid');
    return true;
  });
}

function asymmetric(algorithm: 'EdDSA' | 'ES256') {
  const pair =
    algorithm === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keys = new JwtKeys({ algorithm, signingKey: { kid: 'k1', privateKey: pair.privateKey } });
  return { ...pair, codec: new JwtCodec({ keys, clock: fakeClock() }) };
}

/** ssh-ed25519 AAAA… (RFC 8709), built by hand: Node does not export OpenSSH. */
function openSsh(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const field = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]).toString('base64')}`;
}

/** Every encoding of a public key an attacker might try as an HMAC secret (JWT-03). */
function encodings(publicKey: KeyObject): [string, string | Buffer][] {
  const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const list: [string, string | Buffer][] = [
    ['PEM SPKI', pem],
    ['PEM SPKI without trailing newline', pem.trimEnd()],
    ['DER', der],
    ['base64 DER', der.toString('base64')],
    ['JWK JSON', JSON.stringify(publicKey.export({ format: 'jwk' }))],
  ];
  if (publicKey.asymmetricKeyType === 'ed25519') list.push(['OpenSSH', openSsh(publicKey)]);
  return list;
}

describe('JWT-01: the algorithm allow-list is pinned server-side per key', () => {
  it('HS256 deployment: the same secret under HS384 or HS512 is rejected', async () => {
    const codec = new JwtCodec({
      keys: new JwtKeys({ algorithm: 'HS256', secret: SECRET }),
      clock: fakeClock(),
    });
    await codec.verify(forge({ alg: 'HS256', typ: 'JWT' }, claims), 'access');
    for (const alg of ['HS384', 'HS512']) await invalid(codec, forge({ alg, typ: 'JWT' }, claims));
  });

  it('EdDSA deployment: a token signed with the same key but labelled ES256, RS256, PS256, HS256 is rejected', async () => {
    const { codec, privateKey } = asymmetric('EdDSA');
    await codec.verify(
      forgeAsymmetric({ alg: 'EdDSA', kid: 'k1', typ: 'JWT' }, claims, privateKey),
      'access',
    );
    for (const alg of ['ES256', 'RS256', 'PS256', 'HS256', 'Ed25519']) {
      await invalid(codec, forgeAsymmetric({ alg, kid: 'k1', typ: 'JWT' }, claims, privateKey));
    }
  });

  it('the verifier refuses to construct without an algorithm', () => {
    for (const options of [
      { secret: SECRET },
      { algorithm: 'none', secret: SECRET },
      { algorithm: 'RS256' },
      undefined,
    ]) {
      assert.throws(() => new JwtKeys(options as never), ConfigurationError);
    }
    assert.throws(() => new JwtCodec({} as never), ConfigurationError);
  });
});

describe('JWT-02: alg none is rejected, including case variants', () => {
  const codec = new JwtCodec({
    keys: new JwtKeys({ algorithm: 'HS256', secret: SECRET }),
    clock: fakeClock(),
  });
  const payload = b64(claims);
  for (const alg of ['none', 'None', 'NONE', 'nOnE', 'none ', '', undefined]) {
    it(`alg ${JSON.stringify(alg) ?? 'missing'}, with and without a signature`, async () => {
      const header = b64(alg === undefined ? { typ: 'JWT' } : { alg, typ: 'JWT' });
      await invalid(codec, `${header}.${payload}.`);
      await invalid(codec, `${header}.${payload}.${b64('signature')}`);
      await invalid(codec, hmacSign(header, payload, SECRET));
    });
  }
});

for (const algorithm of ['EdDSA', 'ES256'] as const) {
  describe(`CVE-2015-9235 / JWT-03 (${algorithm}): an HS token signed with the public key as secret is rejected`, () => {
    const { codec, publicKey } = asymmetric(algorithm);
    it('control: the forged token is well made (it verifies where that PEM really is the HS256 secret)', async () => {
      const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
      const hmac = new JwtCodec({
        keys: new JwtKeys({ algorithm: 'HS256', secret: pem }),
        clock: fakeClock(),
      });
      await hmac.verify(hmacSign(b64({ alg: 'HS256', typ: 'JWT' }), b64(claims), pem), 'access');
    });
    for (const [name, secret] of encodings(publicKey)) {
      it(`public key as ${name}, HS256/384/512, with and without kid`, async () => {
        for (const [alg, hash] of [
          ['HS256', 'sha256'],
          ['HS384', 'sha384'],
          ['HS512', 'sha512'],
        ]) {
          for (const header of [
            { alg, typ: 'JWT' },
            { alg, kid: 'k1', typ: 'JWT' },
          ]) {
            await invalid(codec, hmacSign(b64(header), b64({ ...claims, sub: 'admin' }), secret, hash));
          }
        }
      });
    }
  });
}

describe('CVE-2022-23541: the key-resolver path never hands an asymmetric key to an HS algorithm', () => {
  it('resolve() pins the alg to the kid’s key, whatever the header says', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const keys = new JwtKeys({
      algorithm: 'EdDSA',
      signingKey: { kid: 'k1', privateKey: generateKeyPairSync('ed25519').privateKey },
      verificationKeys: [{ kid: 'old', publicKey }],
    });
    assert.equal(keys.resolve({ alg: 'EdDSA', kid: 'old' }).type, 'public');
    for (const alg of ['HS256', 'HS384', 'HS512', 'ES256']) {
      assert.throws(() => keys.resolve({ alg, kid: 'old' }), TokenError);
      assert.throws(() => keys.resolve({ alg }), TokenError);
    }
  });

  it('resolve() on an HMAC deployment only ever returns the secret, for its own alg', () => {
    const keys = new JwtKeys({ algorithm: 'HS256', secret: SECRET });
    assert.equal(keys.resolve({ alg: 'HS256', typ: 'JWT' }).type, 'secret');
    assert.throws(() => keys.resolve({ alg: 'EdDSA' }), TokenError);
    assert.throws(() => keys.resolve({ alg: 'HS256', kid: 'k1' }), TokenError);
  });
});

describe('CVE-2022-23540: no unsigned token, no verifier without a key', () => {
  it('an unsigned token never verifies', async () => {
    const codec = new JwtCodec({
      keys: new JwtKeys({ algorithm: 'HS256', secret: SECRET }),
      clock: fakeClock(),
    });
    await invalid(codec, `${b64({ alg: 'none' })}.${b64(claims)}.`);
  });

  it('a null, undefined or empty key refuses to construct', () => {
    for (const secret of [undefined, null, '', 0, false]) {
      assert.throws(() => new JwtKeys({ algorithm: 'HS256', secret } as never), ConfigurationError);
    }
    for (const privateKey of [undefined, null, '']) {
      assert.throws(
        () => new JwtKeys({ algorithm: 'EdDSA', signingKey: { kid: 'k1', privateKey } } as never),
        ConfigurationError,
      );
    }
  });
});
