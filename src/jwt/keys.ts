import { ConfigurationError } from '../errors.ts';
import type { Secret } from '../internal/secret.ts';
import { checkHeader } from './header-policy.ts';
import {
  type AsymmetricAlgorithm,
  type HmacAlgorithm,
  importHmacSecret,
  importPrivateKey,
  importPublicKey,
  isAsymmetric,
  isHmac,
  type JwtAlgorithm,
  type KeyInput,
} from './key-material.ts';
import { invalidToken } from './token-error.ts';

export type { AsymmetricAlgorithm, HmacAlgorithm, JwtAlgorithm, KeyInput } from './key-material.ts';

/** HS256 over a shared secret, simplejwt's default. `fallbackSecrets` (Django's `SECRET_KEY_FALLBACKS`) still verify. */
export interface HmacKeysOptions {
  algorithm: HmacAlgorithm;
  secret: string | Secret;
  fallbackSecrets?: readonly (string | Secret)[];
}

/** EdDSA (Ed25519) or ES256: one current signing key and older keys that still verify, told apart by `kid`. */
export interface AsymmetricKeysOptions {
  algorithm: AsymmetricAlgorithm;
  signingKey: { kid: string; privateKey: KeyInput };
  verificationKeys?: readonly { kid: string; publicKey: KeyInput; algorithm?: AsymmetricAlgorithm }[];
}

/** A public key as published at `/.well-known/jwks.json`. */
export interface PublicJwk {
  readonly kty: string;
  readonly crv: string;
  readonly x: string;
  readonly y?: string;
  readonly kid: string;
  readonly alg: AsymmetricAlgorithm;
  readonly use: 'sig';
}

interface Entry {
  alg: JwtAlgorithm;
  kid?: string;
  key: CryptoKey;
}

const KID = /^[A-Za-z0-9._~-]{1,64}$/;

/**
 * The signing and verification keys, each pinned to exactly one algorithm
 * (RFC 8725 §3.1). The token's `alg` never chooses a key: the key is chosen by
 * `kid` (or is the one HMAC secret) and the token's `alg` must equal the key's.
 *
 * ```ts
 * const keys = new JwtKeys({ algorithm: 'HS256', secret: settings.secretKey });
 * const rotated = new JwtKeys({
 *   algorithm: 'EdDSA',
 *   signingKey: { kid: '2026-06', privateKey: pemPkcs8 },
 *   verificationKeys: [{ kid: '2026-01', publicKey: oldSpkiPem }],
 * });
 * rotated.jwks(); // { keys: [{ kty: 'OKP', crv: 'Ed25519', x, kid: '2026-06', alg: 'EdDSA', use: 'sig' }, …] }
 * ```
 */
export class JwtKeys {
  /** Every algorithm a token may carry; jose refuses the rest before any key is touched. */
  readonly algorithms: readonly JwtAlgorithm[];
  readonly #signing: Entry & { header: Readonly<Record<string, string>> };
  /** HMAC: the secret then its fallbacks, tried in order. Asymmetric: the current key (for tokens without `kid`). */
  readonly #unnamed: readonly Entry[];
  readonly #byKid = new Map<string, Entry>();
  readonly #jwks: { readonly keys: readonly PublicJwk[] };

  constructor(options: HmacKeysOptions | AsymmetricKeysOptions) {
    const alg = (options as { algorithm?: unknown } | undefined)?.algorithm;
    if (isHmac(alg)) {
      const { secret, fallbackSecrets = [] } = options as HmacKeysOptions;
      const entries = [secret, ...fallbackSecrets].map((s) => ({ alg, key: importHmacSecret(alg, s) }));
      this.#signing = { ...entries[0], header: Object.freeze({ alg, typ: 'JWT' }) };
      this.#unnamed = Object.freeze(entries);
      this.#jwks = Object.freeze({ keys: Object.freeze([]) });
      this.algorithms = Object.freeze([alg]);
      return;
    }
    if (!isAsymmetric(alg))
      throw new ConfigurationError(`JWT algorithm must be one of HS256, HS384, HS512, EdDSA, ES256`);
    const { signingKey, verificationKeys = [] } = options as AsymmetricKeysOptions;
    const current = importPrivateKey(alg, signingKey?.privateKey);
    const published: PublicJwk[] = [];
    const add = (kid: string, keyAlg: AsymmetricAlgorithm, key: CryptoKey, jwk: JsonWebKey) => {
      if (typeof kid !== 'string' || !KID.test(kid))
        throw new ConfigurationError(`invalid kid: ${JSON.stringify(kid)}`);
      if (this.#byKid.has(kid)) throw new ConfigurationError(`duplicate kid: ${kid}`);
      this.#byKid.set(kid, { alg: keyAlg, kid, key });
      const { kty, crv, x, y } = jwk as Required<JsonWebKey>;
      published.push(
        Object.freeze({ kty, crv, x, ...(y ? { y } : {}), kid, alg: keyAlg, use: 'sig' as const }),
      );
    };
    add(signingKey.kid, alg, current.verify, current.jwk);
    for (const v of verificationKeys) {
      const keyAlg = v.algorithm ?? alg;
      if (!isAsymmetric(keyAlg))
        throw new ConfigurationError(`kid ${v.kid}: algorithm must be EdDSA or ES256`);
      const imported = importPublicKey(keyAlg, v.publicKey);
      add(v.kid, keyAlg, imported.verify, imported.jwk);
    }
    this.#signing = {
      alg,
      kid: signingKey.kid,
      key: current.sign,
      header: Object.freeze({ alg, kid: signingKey.kid, typ: 'JWT' }),
    };
    this.#unnamed = Object.freeze([this.#byKid.get(signingKey.kid)!]);
    this.#jwks = Object.freeze({ keys: Object.freeze(published) });
    this.algorithms = Object.freeze([...new Set([...this.#byKid.values()].map((e) => e.alg))]);
  }

  /** The public JWK set (empty for HMAC: a shared secret is never published). */
  jwks(): { readonly keys: readonly PublicJwk[] } {
    return this.#jwks;
  }

  /** @internal The signing key and PyJWT's header for it (sorted keys: `alg`, `kid`, `typ`). */
  signer(): { key: CryptoKey; header: Readonly<Record<string, string>> } {
    return { key: this.#signing.key, header: this.#signing.header };
  }

  /** @internal How many keys a token without `kid` may be tried against (HMAC fallbacks). */
  get attempts(): number {
    return this.#unnamed.length;
  }

  /**
   * @internal jose's key resolver: checks the header, picks the key by `kid`
   * (attempt-th unnamed key otherwise) and pins the token's `alg` to the key's.
   */
  resolve(header: Record<string, unknown>, attempt = 0): CryptoKey {
    checkHeader(header);
    const { kid, alg } = header;
    let entry: Entry | undefined;
    if (kid === undefined) entry = this.#unnamed[attempt];
    else entry = this.#byKid.get(kid as string);
    if (!entry) throw invalidToken('key');
    if (entry.alg !== alg) throw invalidToken('algorithm');
    return entry.key;
  }
}
