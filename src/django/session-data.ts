import { timingSafeEqual } from '../internal/timing-safe-equal.ts';
import { saltedHmac } from './salted-hmac.ts';
import { BadPayload, BadSignature, MAX_SIGNED_BYTES, TimestampSigner } from './signing.ts';

export interface SessionDataOptions {
  /** `SECRET_KEY` first, then older keys (Django ≥ 4.1's `SECRET_KEY_FALLBACKS`). */
  secretKeys: readonly string[];
  /**
   * The session engine's `SessionStore` class name, part of both salts:
   * `SessionStore` for the db, cached_db, cache and file engines (the default).
   */
  storeClass?: string;
}

/** A `django_session.session_data` value read: the dict, and what `django.contrib.auth` keeps in it. */
export interface DecodedSession {
  ok: true;
  /** `signed`: Django ≥ 3.1's `signing.dumps`; `legacy`: base64 of `<sha1 hmac hex>:<json>`, Django ≤ 3.0. */
  format: 'signed' | 'legacy';
  /** Which of `secretKeys` verified it. */
  keyIndex: number;
  data: Record<string, unknown>;
  /** `_auth_user_id` (a string since Django 1.7; an integer before), or null for an anonymous session. */
  userId: string | null;
  /** `_auth_user_backend`, e.g. `django.contrib.auth.backends.ModelBackend`. */
  backend: string | null;
  /** `_auth_user_hash`: see `matchSessionAuthHash`. */
  authHash: string | null;
}

/**
 * Why a value was not read: no key verified it (`bad-signature`), it was
 * verified but pickled (`pickle`: `PickleSerializer`, never unpickled), or it
 * was verified but is not a JSON object or is too large (`malformed`).
 */
export interface UnreadableSession {
  ok: false;
  reason: 'bad-signature' | 'pickle' | 'malformed';
}

const LEGACY_B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Pickle protocols 2 and later open with PROTO (0x80); Django's PickleSerializer uses the highest. */
const PICKLE_PROTO = 0x80;

/**
 * Django's `SessionBase.decode` (3.2, which reads both formats), without
 * ever unpickling. First the signed format, `signing.loads(data,
 * salt='django.contrib.sessions.' + storeClass)` (SHA-256, or SHA-1 as 3.2
 * still accepts); then the pre-3.1 one: standard base64 of `hash:serialized`,
 * where hash is `salted_hmac('django.contrib.sessions' + storeClass,
 * serialized)` — SHA-1, hex, and no dot after `sessions`. Each key is tried.
 *
 * ```ts
 * const session = decodeSessionData(row.session_data, { secretKeys: [SECRET_KEY] });
 * if (session.ok && session.userId !== null) importSession(row.session_key, session.userId, session.authHash);
 * ```
 */
export function decodeSessionData(
  sessionData: string,
  options: SessionDataOptions,
): DecodedSession | UnreadableSession {
  if (
    typeof sessionData !== 'string' ||
    sessionData.length > MAX_SIGNED_BYTES ||
    options.secretKeys.length === 0
  ) {
    return { ok: false, reason: 'malformed' };
  }
  const storeClass = options.storeClass ?? 'SessionStore';
  const [key, ...fallbackKeys] = options.secretKeys;
  const signer = new TimestampSigner({
    key,
    fallbackKeys,
    salt: `django.contrib.sessions.${storeClass}`,
    legacyAlgorithms: ['sha1'],
  });
  try {
    const { payload, keyIndex } = signer.unsignObject(sessionData);
    return read(payload, 'signed', keyIndex);
  } catch (error) {
    if (error instanceof BadPayload) return { ok: false, reason: 'malformed' };
    if (!(error instanceof BadSignature)) throw error;
  }
  return legacyDecode(sessionData, options.secretKeys, storeClass);
}

function legacyDecode(
  sessionData: string,
  secretKeys: readonly string[],
  storeClass: string,
): DecodedSession | UnreadableSession {
  if (!LEGACY_B64.test(sessionData)) return { ok: false, reason: 'bad-signature' };
  const decoded = Buffer.from(sessionData, 'base64');
  const colon = decoded.indexOf(0x3a);
  if (colon < 0) return { ok: false, reason: 'bad-signature' };
  const hash = decoded.subarray(0, colon).toString('latin1');
  const serialized = decoded.subarray(colon + 1);
  for (const [keyIndex, secret] of secretKeys.entries()) {
    const expected = saltedHmac(`django.contrib.sessions${storeClass}`, serialized, secret, 'sha1').toString(
      'hex',
    );
    if (timingSafeEqual(hash, expected)) return read(serialized, 'legacy', keyIndex);
  }
  return { ok: false, reason: 'bad-signature' };
}

/** The verified serializer bytes as a session dict, or why not. */
function read(
  payload: Buffer,
  format: DecodedSession['format'],
  keyIndex: number,
): DecodedSession | UnreadableSession {
  if (payload[0] === PICKLE_PROTO) return { ok: false, reason: 'pickle' };
  let data: unknown;
  try {
    data = JSON.parse(payload.toString('latin1'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return { ok: false, reason: 'malformed' };
  const dict = data as Record<string, unknown>;
  const id = dict._auth_user_id;
  return {
    ok: true,
    format,
    keyIndex,
    data: dict,
    userId: typeof id === 'string' ? id : Number.isSafeInteger(id) ? String(id) : null,
    backend: typeof dict._auth_user_backend === 'string' ? dict._auth_user_backend : null,
    authHash: typeof dict._auth_user_hash === 'string' ? dict._auth_user_hash : null,
  };
}
