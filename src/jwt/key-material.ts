import { createPrivateKey, createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { ConfigurationError } from '../errors.ts';
import { Secret } from '../internal/secret.ts';

export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';
export type AsymmetricAlgorithm = 'EdDSA' | 'ES256';
/** The allow-list: nothing else can be configured, `none` least of all. */
export type JwtAlgorithm = HmacAlgorithm | AsymmetricAlgorithm;

/**
 * The members of a JSON Web Key (RFC 7517) that Ed25519 and P-256 keys use.
 * Declared here rather than taken from the DOM lib or `node:crypto`, whose
 * `JsonWebKey` is not in every version of @types/node: the published
 * declarations must compile against whichever a user has.
 */
export interface Jwk {
  kty?: string;
  crv?: string;
  x?: string;
  y?: string;
  /** The private part; a key with it is never accepted as a verification key. */
  d?: string;
  kid?: string;
  alg?: string;
  use?: string;
}

/** A PEM string (PKCS#8 / SPKI), a `KeyObject`, or a JWK. */
export type KeyInput = string | KeyObject | Jwk;

/** RFC 7518 §3.2: an HMAC key at least as long as the hash output. */
const HMAC_MIN_BYTES: Record<HmacAlgorithm, number> = { HS256: 32, HS384: 48, HS512: 64 };
const HMAC_HASH: Record<HmacAlgorithm, string> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' };
const WEBCRYPTO: Record<AsymmetricAlgorithm, EcKeyImportParams | Algorithm> = {
  EdDSA: { name: 'Ed25519' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
};

/**
 * A `KeyObject` as a WebCrypto `CryptoKey` (what jose uses without re-importing).
 * The cast bridges @types/node's `webcrypto.CryptoKey` and the DOM lib's, which
 * differ only in the list of key usages they know.
 */
function toCryptoKey(
  key: KeyObject,
  algorithm: Algorithm | EcKeyImportParams | HmacImportParams,
  usages: KeyUsage[],
) {
  return key.toCryptoKey(algorithm, false, usages) as unknown as CryptoKey;
}

export function isHmac(alg: unknown): alg is HmacAlgorithm {
  return alg === 'HS256' || alg === 'HS384' || alg === 'HS512';
}

export function isAsymmetric(alg: unknown): alg is AsymmetricAlgorithm {
  return alg === 'EdDSA' || alg === 'ES256';
}

/**
 * @internal (the published declarations leave it out: `CryptoKey` is not a type in every @types/node)
 * The secret (Django's `SECRET_KEY`, UTF-8 encoded as PyJWT does) as a
 * non-extractable HMAC `CryptoKey`, imported once so no request re-imports it.
 *
 * ```ts
 * importHmacSecret('HS256', settings.secretKey); // throws ConfigurationError under 32 bytes
 * ```
 */
export function importHmacSecret(alg: HmacAlgorithm, secret: string | Secret): CryptoKey {
  const value = secret instanceof Secret ? secret.reveal() : secret;
  if (typeof value !== 'string' || value.length === 0)
    throw new ConfigurationError(`${alg}: the secret must be a non-empty string`);
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length < HMAC_MIN_BYTES[alg]) {
    throw new ConfigurationError(`${alg}: the secret must be at least ${HMAC_MIN_BYTES[alg]} bytes`);
  }
  return toCryptoKey(createSecretKey(bytes), { name: 'HMAC', hash: HMAC_HASH[alg] }, ['sign', 'verify']);
}

function toKeyObject(input: KeyInput, kind: 'private' | 'public'): KeyObject {
  if (input instanceof KeyObject) return input;
  if (typeof input === 'string') return kind === 'private' ? createPrivateKey(input) : createPublicKey(input);
  if (input !== null && typeof input === 'object') {
    const options = { key: input as Record<string, unknown> as never, format: 'jwk' as const };
    return kind === 'private' ? createPrivateKey(options) : createPublicKey(options);
  }
  throw new TypeError('not a key');
}

function isPrivateInput(input: KeyInput): boolean {
  if (input instanceof KeyObject) return input.type !== 'public';
  if (typeof input === 'string') {
    try {
      createPrivateKey(input);
      return true;
    } catch {
      return false;
    }
  }
  return typeof input === 'object' && input !== null && 'd' in input;
}

/** Checks the key's type against the algorithm (CVE-2022-23539: no DSA, no RSA, no other curve). */
function checkType(alg: AsymmetricAlgorithm, key: KeyObject, kind: 'private' | 'public'): void {
  if (key.type !== kind)
    throw new ConfigurationError(`${alg}: expected a ${kind} key, got a ${key.type} key`);
  const ok =
    alg === 'EdDSA'
      ? key.asymmetricKeyType === 'ed25519'
      : key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  if (!ok) throw new ConfigurationError(`${alg}: unsupported key type ${key.asymmetricKeyType}`);
}

function parse(alg: AsymmetricAlgorithm, input: KeyInput, kind: 'private' | 'public'): KeyObject {
  if (input === null || input === undefined || input === '') throw new ConfigurationError(`${alg}: no key`);
  let key: KeyObject;
  try {
    key = toKeyObject(input, kind);
  } catch (cause) {
    throw new ConfigurationError(`${alg}: cannot read the ${kind} key (${(cause as Error).message})`);
  }
  checkType(alg, key, kind);
  return key;
}

/**
 * @internal
 * A private signing key: its `CryptoKey` for signing and its public half for verification and the JWKS.
 *
 * ```ts
 * const { sign, verify, jwk } = importPrivateKey('EdDSA', pkcs8Pem);
 * ```
 */
export function importPrivateKey(
  alg: AsymmetricAlgorithm,
  input: KeyInput,
): { sign: CryptoKey; verify: CryptoKey; jwk: Jwk } {
  const key = parse(alg, input, 'private');
  const publicKey = createPublicKey(key);
  return {
    sign: toCryptoKey(key, WEBCRYPTO[alg], ['sign']),
    verify: toCryptoKey(publicKey, WEBCRYPTO[alg], ['verify']),
    jwk: publicKey.export({ format: 'jwk' }),
  };
}

/**
 * @internal
 * A verification-only public key; a private key here is a configuration mistake (JWT-04).
 *
 * ```ts
 * const { verify, jwk } = importPublicKey('ES256', spkiPem);
 * ```
 */
export function importPublicKey(alg: AsymmetricAlgorithm, input: KeyInput): { verify: CryptoKey; jwk: Jwk } {
  if (isPrivateInput(input))
    throw new ConfigurationError(`${alg}: a private key was given as a verification key`);
  const key = parse(alg, input, 'public');
  return { verify: toCryptoKey(key, WEBCRYPTO[alg], ['verify']), jwk: key.export({ format: 'jwk' }) };
}
