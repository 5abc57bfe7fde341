import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { Secret } from '../internal/secret.ts';
import { JwtCodec } from './codec.ts';
import { decodePart, fakeClock, SECRET } from './fixtures.ts';
import { JwtKeys } from './keys.ts';
import { TokenError } from './token-error.ts';

const ed = () => generateKeyPairSync('ed25519');
const p256 = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

describe('CVE-2022-23539 / JWT-04: weak and unsafe keys are refused at start-up', () => {
  it('an HMAC secret shorter than the hash output (32/48/64 bytes) is refused', () => {
    assert.throws(() => new JwtKeys({ algorithm: 'HS256', secret: 'x'.repeat(31) }), ConfigurationError);
    new JwtKeys({ algorithm: 'HS256', secret: 'x'.repeat(32) });
    assert.throws(() => new JwtKeys({ algorithm: 'HS384', secret: 'x'.repeat(47) }), ConfigurationError);
    assert.throws(() => new JwtKeys({ algorithm: 'HS512', secret: SECRET }), ConfigurationError);
    assert.throws(
      () => new JwtKeys({ algorithm: 'HS256', secret: SECRET, fallbackSecrets: ['short'] }),
      ConfigurationError,
    );
  });

  it('a Secret wrapper is accepted as the HMAC secret', () => {
    new JwtKeys({ algorithm: 'HS256', secret: new Secret(SECRET) });
  });

  it('DSA, RSA (1024 and 2048), Ed448 and P-384 keys are refused', () => {
    const wrong = [
      generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }),
      generateKeyPairSync('rsa', { modulusLength: 1024 }),
      generateKeyPairSync('rsa', { modulusLength: 2048 }),
      generateKeyPairSync('ed448'),
      generateKeyPairSync('ec', { namedCurve: 'secp384r1' }),
    ];
    for (const { privateKey, publicKey } of wrong) {
      for (const algorithm of ['EdDSA', 'ES256'] as const) {
        assert.throws(
          () => new JwtKeys({ algorithm, signingKey: { kid: 'k', privateKey } }),
          ConfigurationError,
        );
        assert.throws(
          () =>
            new JwtKeys({
              algorithm,
              signingKey: { kid: 'k', privateKey: (algorithm === 'EdDSA' ? ed() : p256()).privateKey },
              verificationKeys: [{ kid: 'old', publicKey }],
            }),
          ConfigurationError,
        );
      }
    }
  });

  it('a private key given as a verification key is refused, in every form', () => {
    const current = ed().privateKey;
    const { privateKey } = ed();
    const forms = [
      privateKey,
      privateKey.export({ type: 'pkcs8', format: 'pem' }),
      privateKey.export({ format: 'jwk' }),
    ];
    for (const publicKey of forms) {
      assert.throws(
        () =>
          new JwtKeys({
            algorithm: 'EdDSA',
            signingKey: { kid: 'k1', privateKey: current },
            verificationKeys: [{ kid: 'k0', publicKey: publicKey as string }],
          }),
        ConfigurationError,
      );
    }
  });

  it('a public key given as the signing key is refused', () => {
    assert.throws(
      () => new JwtKeys({ algorithm: 'ES256', signingKey: { kid: 'k1', privateKey: p256().publicKey } }),
      ConfigurationError,
    );
  });

  it('bad or duplicate kids are refused', () => {
    const privateKey = ed().privateKey;
    for (const kid of ['', '../../etc/passwd', "' OR '1'='1", 'a'.repeat(65), 7]) {
      assert.throws(
        () => new JwtKeys({ algorithm: 'EdDSA', signingKey: { kid, privateKey } } as never),
        ConfigurationError,
      );
    }
    assert.throws(
      () =>
        new JwtKeys({
          algorithm: 'EdDSA',
          signingKey: { kid: 'k1', privateKey },
          verificationKeys: [{ kid: 'k1', publicKey: ed().publicKey }],
        }),
      ConfigurationError,
    );
  });

  it('CVE-2022-23529: an object with an overridden toString is never used as a key', () => {
    let called = false;
    const evil = {
      toString() {
        called = true;
        return SECRET;
      },
    };
    assert.throws(() => new JwtKeys({ algorithm: 'HS256', secret: evil as never }), ConfigurationError);
    assert.equal(called, false);
  });
});

describe('kid-based rotation and the JWKS', () => {
  it('jwks() is empty for HMAC: a shared secret is never published', () => {
    assert.deepEqual(new JwtKeys({ algorithm: 'HS256', secret: SECRET }).jwks(), { keys: [] });
  });

  it('jwks() lists the current and the older public keys, and nothing private', () => {
    const older = p256();
    const keys = new JwtKeys({
      algorithm: 'EdDSA',
      signingKey: { kid: '2026-06', privateKey: ed().privateKey },
      verificationKeys: [{ kid: '2026-01', publicKey: older.publicKey, algorithm: 'ES256' }],
    });
    const { keys: list } = keys.jwks();
    assert.deepEqual(
      list.map(({ kty, crv, kid, alg, use }) => ({ kty, crv, kid, alg, use })),
      [
        { kty: 'OKP', crv: 'Ed25519', kid: '2026-06', alg: 'EdDSA', use: 'sig' },
        { kty: 'EC', crv: 'P-256', kid: '2026-01', alg: 'ES256', use: 'sig' },
      ],
    );
    assert.equal(typeof list[1].y, 'string');
    assert.doesNotMatch(JSON.stringify(keys.jwks()), /"d"/);
    assert.deepEqual(keys.algorithms, ['EdDSA', 'ES256']);
  });

  it('a token of the previous key still verifies after rotation; a dropped key does not', async () => {
    const clock = fakeClock();
    const before = ed();
    const oldKeys = new JwtKeys({
      algorithm: 'EdDSA',
      signingKey: { kid: 'k1', privateKey: before.privateKey },
    });
    const { token } = await new JwtCodec({ keys: oldKeys, clock }).sign('access', '1');
    assert.equal(decodePart(token, 0).kid, 'k1');

    const spki = before.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const rotated = new JwtKeys({
      algorithm: 'EdDSA',
      signingKey: { kid: 'k2', privateKey: ed().privateKey },
      verificationKeys: [{ kid: 'k1', publicKey: spki }],
    });
    const codec = new JwtCodec({ keys: rotated, clock });
    await codec.verify(token, 'access');
    assert.equal(decodePart((await codec.sign('access', '1')).token, 0).kid, 'k2');

    const dropped = new JwtCodec({
      keys: new JwtKeys({ algorithm: 'EdDSA', signingKey: { kid: 'k2', privateKey: ed().privateKey } }),
      clock,
    });
    await assert.rejects(
      dropped.verify(token, 'access'),
      (e: unknown) => e instanceof TokenError && e.reason === 'key',
    );
  });

  it('ES256 tokens carry {"alg":"ES256","kid":…,"typ":"JWT"} (PyJWT sorts header keys)', async () => {
    const keys = new JwtKeys({
      algorithm: 'ES256',
      signingKey: { kid: 'es-1', privateKey: p256().privateKey },
    });
    const codec = new JwtCodec({ keys, clock: fakeClock() });
    const { token } = await codec.sign('refresh', '3');
    assert.equal(
      Buffer.from(token.split('.')[0], 'base64url').toString(),
      '{"alg":"ES256","kid":"es-1","typ":"JWT"}',
    );
    await codec.verify(token, 'refresh');
  });
});
