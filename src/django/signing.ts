import { deflateSync, inflateSync } from 'node:zlib';
import { type Clock, systemClock } from '../internal/clock.ts';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';
import { type DjangoHmacAlgorithm, saltedHmac } from './salted-hmac.ts';

/**
 * `django.core.signing`, as Django 3.1–5.2 write and read it:
 *
 *     <value>:<signature>                       Signer
 *     <value>:<base62 timestamp>:<signature>    TimestampSigner, dumps/loads
 *
 * The signature is unpadded base64url of `salted_hmac(salt + 'signer', value,
 * key, algorithm)`. An object is compact JSON (ASCII only, Python's
 * `ensure_ascii`), unpadded base64url, and, when zlib made it shorter, `.` +
 * the base64url of the compressed bytes — the `.` is signed too.
 *
 * Algorithms: Django 3.1 and 3.2 sign with `DEFAULT_HASHING_ALGORITHM`
 * (`sha256` unless set to `sha1`) and also accept SHA-1 signatures; Django ≥
 * 4.0 signs and accepts SHA-256 only. Keys: Django ≥ 4.1 tries `SECRET_KEY`
 * then `SECRET_KEY_FALLBACKS`; 3.2 knows only `SECRET_KEY`.
 */

/** Django's `BadSignature`: no key and algorithm given produced this signature, or the value is not a signed value. */
export class BadSignature extends Error {
  readonly code: string = 'bad_signature';
  constructor(message = 'Signature does not match') {
    super(message);
    this.name = 'BadSignature';
  }
}

/** Django's `SignatureExpired`: a good signature, older than `maxAge`. */
export class SignatureExpired extends BadSignature {
  override readonly code: string = 'signature_expired';
  constructor(message: string) {
    super(message);
    this.name = 'SignatureExpired';
  }
}

/** A good signature over a payload that is not what it must be (bad zlib data, over the size cap, not JSON). */
export class BadPayload extends Error {
  readonly code = 'bad_payload';
  constructor(message: string) {
    super(message);
    this.name = 'BadPayload';
  }
}

/** The largest signed string, and the largest payload after decompression, that is ever looked at. */
export const MAX_SIGNED_BYTES = 1024 * 1024;

const SEP = ':';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const B64URL = /^[A-Za-z0-9_-]*$/;

export interface SignerOptions {
  /** `SECRET_KEY`, the only key that signs. */
  key: string;
  /** Django ≥ 4.1's `SECRET_KEY_FALLBACKS`: accepted, never used to sign. */
  fallbackKeys?: readonly string[];
  /** Django's default is the class path: `django.core.signing.Signer` / `…TimestampSigner`. */
  salt?: string;
  /** Signs with this; default `sha256`. */
  algorithm?: DjangoHmacAlgorithm;
  /** Also accepted, as Django 3.1–3.2 accept SHA-1 signatures (`legacy_algorithm`); default none. */
  legacyAlgorithms?: readonly DjangoHmacAlgorithm[];
}

/** What a good signature tells besides the value: which key (0 = `key`, 1… = the fallbacks) and which algorithm signed it. */
export interface Unsigned {
  value: string;
  keyIndex: number;
  algorithm: DjangoHmacAlgorithm;
}

/** Unpadded base64url, Django's `b64_encode`. */
export function b64Encode(data: Buffer): string {
  return data.toString('base64url');
}

/** Django's `b64_decode` of what `b64Encode` wrote; a character outside base64url is a BadSignature. */
export function b64Decode(text: string): Buffer {
  if (!B64URL.test(text) || text.length % 4 === 1) throw new BadSignature('Not base64url');
  return Buffer.from(text, 'base64url');
}

/**
 * Django's `Signer`: `sign` appends `:<signature>`; `unsign` checks it
 * against every key and accepted algorithm, each comparison in constant time,
 * and throws `BadSignature` when none matches.
 *
 * ```ts
 * const signer = new Signer({ key: SECRET_KEY, salt: 'my.salt' });
 * signer.unsign(signer.sign('hello')).value; // 'hello'
 * ```
 */
export class Signer {
  readonly salt: string;
  readonly algorithm: DjangoHmacAlgorithm;
  readonly #keys: readonly string[];
  readonly #algorithms: readonly DjangoHmacAlgorithm[];

  constructor(options: SignerOptions) {
    // Django: `salt or '<module>.<class name>'`, so an empty salt is the default too.
    this.salt = options.salt || 'django.core.signing.Signer';
    this.algorithm = options.algorithm ?? 'sha256';
    this.#keys = [options.key, ...(options.fallbackKeys ?? [])];
    this.#algorithms = [
      this.algorithm,
      ...(options.legacyAlgorithms ?? []).filter((a) => a !== this.algorithm),
    ];
  }

  /** Django's `Signer.signature`: unpadded base64url of the salted HMAC. */
  signature(value: string, key: string, algorithm: DjangoHmacAlgorithm = this.algorithm): string {
    return b64Encode(saltedHmac(`${this.salt}signer`, value, key, algorithm));
  }

  sign(value: string): string {
    return `${value}${SEP}${this.signature(value, this.#keys[0])}`;
  }

  unsign(signed: string): Unsigned {
    if (typeof signed !== 'string' || signed.length > MAX_SIGNED_BYTES) throw new BadSignature('Too long');
    const at = signed.lastIndexOf(SEP);
    if (at < 0) throw new BadSignature(`No "${SEP}" found in value`);
    const value = signed.slice(0, at);
    const signature = signed.slice(at + 1);
    for (const [keyIndex, key] of this.#keys.entries()) {
      for (const algorithm of this.#algorithms) {
        if (timingSafeEqual(signature, this.signature(value, key, algorithm)))
          return { value, keyIndex, algorithm };
      }
    }
    throw new BadSignature();
  }
}

/** Django's `baseconv.base62.encode` of a non-negative integer. */
export function base62Encode(n: number): string {
  let out = '';
  do {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out;
}

/** Django's `baseconv.base62.decode`; anything but 1–11 base62 digits is a BadSignature. */
export function base62Decode(text: string): number {
  if (text.length === 0 || text.length > 11) throw new BadSignature('Bad timestamp');
  let n = 0;
  for (const c of text) {
    const digit = BASE62.indexOf(c);
    if (digit < 0) throw new BadSignature('Bad timestamp');
    n = n * 62 + digit;
  }
  if (!Number.isSafeInteger(n)) throw new BadSignature('Bad timestamp');
  return n;
}

export interface TimestampSignerOptions extends SignerOptions {
  clock?: Clock;
}

/** A timestamped value's signature check: the value, who signed it, and when (Unix seconds). */
export interface UnsignedWithTimestamp extends Unsigned {
  timestamp: number;
}

/** What `unsignObject` returns: the decoded (and decompressed) serializer bytes and the signature facts. */
export interface UnsignedPayload extends Omit<UnsignedWithTimestamp, 'value'> {
  payload: Buffer;
}

/**
 * Django's `TimestampSigner`: the value, `:`, the signing time in base62
 * seconds, then the signature over both. `unsign` with `maxAge` (seconds)
 * throws `SignatureExpired` when `now − timestamp > maxAge`, Django's test.
 * `signObject` / `unsignObject` are Django's `sign_object` / `unsign_object`
 * with its JSON serializer; decompression is capped at `MAX_SIGNED_BYTES`.
 *
 * ```ts
 * const signer = new TimestampSigner({ key: SECRET_KEY, salt: 'django.contrib.sessions.SessionStore' });
 * signer.unsignObject(sessionData).payload; // the JSON bytes of the session dict
 * ```
 */
export class TimestampSigner extends Signer {
  readonly #clock: Clock;

  constructor(options: TimestampSignerOptions) {
    super({ ...options, salt: options.salt || 'django.core.signing.TimestampSigner' });
    this.#clock = options.clock ?? systemClock;
  }

  override sign(value: string): string {
    return super.sign(`${value}${SEP}${base62Encode(Math.floor(this.#clock.now() / 1000))}`);
  }

  override unsign(signed: string, options: { maxAge?: number } = {}): UnsignedWithTimestamp {
    const result = super.unsign(signed);
    const at = result.value.lastIndexOf(SEP);
    if (at < 0) throw new BadSignature('No timestamp');
    const timestamp = base62Decode(result.value.slice(at + 1));
    if (options.maxAge !== undefined) {
      const age = this.#clock.now() / 1000 - timestamp;
      if (age > options.maxAge)
        throw new SignatureExpired(`Signature age ${age} > ${options.maxAge} seconds`);
    }
    return { ...result, value: result.value.slice(0, at), timestamp };
  }

  /** Compact ASCII JSON of `obj`, compressed when that is shorter, signed. */
  signObject(obj: unknown, options: { compress?: boolean } = {}): string {
    let data = jsonBytes(obj);
    let prefix = '';
    if (options.compress) {
      const compressed = deflateSync(data);
      if (compressed.length < data.length - 1) {
        data = compressed;
        prefix = '.';
      }
    }
    return this.sign(prefix + b64Encode(data));
  }

  /** The serializer bytes of a signed object, for the caller to parse (JSON, or to recognise a pickle). */
  unsignObject(signed: string, options: { maxAge?: number } = {}): UnsignedPayload {
    const { value, ...facts } = this.unsign(signed, options);
    const compressed = value.startsWith('.');
    const data = b64Decode(compressed ? value.slice(1) : value);
    if (!compressed) return { ...facts, payload: data };
    try {
      return { ...facts, payload: inflateSync(data, { maxOutputLength: MAX_SIGNED_BYTES }) };
    } catch {
      throw new BadPayload('Bad or oversized zlib data');
    }
  }
}

/**
 * Python's `json.dumps(obj, separators=(',', ':'))`: compact, and every
 * character outside printable ASCII escaped (`ensure_ascii`), as Django's
 * `JSONSerializer` writes it before encoding it as Latin-1.
 *
 * ```ts
 * jsonBytes({ a: 'é' }).toString(); // '{"a":"\\u00e9"}'
 * ```
 */
export function jsonBytes(obj: unknown): Buffer {
  const json = JSON.stringify(obj).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return Buffer.from(json, 'latin1');
}

/**
 * Django's `JSONSerializer.loads`: Latin-1 bytes to JSON. A payload that is
 * not JSON throws `BadPayload`.
 *
 * ```ts
 * parseJsonBytes(Buffer.from('{"a":1}')); // { a: 1 }
 * ```
 */
export function parseJsonBytes(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('latin1'));
  } catch {
    throw new BadPayload('Not JSON');
  }
}

export interface DumpsOptions extends Omit<TimestampSignerOptions, 'fallbackKeys' | 'legacyAlgorithms'> {
  compress?: boolean;
}

/**
 * Django's `signing.dumps(obj, key, salt='django.core.signing', compress=…)`.
 *
 * ```ts
 * dumps({ user: 1 }, { key: SECRET_KEY }); // 'eyJ1c2VyIjoxfQ:1tH9aX:…'
 * ```
 */
export function dumps(obj: unknown, options: DumpsOptions): string {
  const { compress, ...signer } = options;
  return new TimestampSigner({ ...signer, salt: signer.salt || 'django.core.signing' }).signObject(obj, {
    compress,
  });
}

export interface LoadsOptions extends TimestampSignerOptions {
  /** Seconds; older signatures throw `SignatureExpired`. */
  maxAge?: number;
}

/**
 * Django's `signing.loads(s, key, salt='django.core.signing', max_age=…)`
 * with its JSON serializer, returning which key and algorithm verified it.
 * Throws `BadSignature`, `SignatureExpired` or `BadPayload`.
 *
 * ```ts
 * loads(token, { key: SECRET_KEY, fallbackKeys: [OLD_KEY], maxAge: 3600 }).value; // { user: 1 }
 * ```
 */
export function loads(
  signed: string,
  options: LoadsOptions,
): Omit<UnsignedPayload, 'payload'> & { value: unknown } {
  const { maxAge, ...signer } = options;
  const { payload, ...facts } = new TimestampSigner({
    ...signer,
    salt: signer.salt || 'django.core.signing',
  }).unsignObject(signed, { maxAge });
  return { ...facts, value: parseJsonBytes(payload) };
}
