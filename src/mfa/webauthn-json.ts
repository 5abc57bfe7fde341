import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

/**
 * The credential JSON a browser sends (`PublicKeyCredential.toJSON()`, or
 * `@simplewebauthn/browser`), read as untrusted input: every part capped and
 * typed before the library parses anything, and a clean copy returned, so
 * a caller's object is never changed and unknown fields never travel on.
 */

const TRANSPORTS = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
// A credential id is at most 1023 bytes (WebAuthn §5.8.3): 1364 base64url characters.
const MAX_ID_LENGTH = 1364;
const MAX_FIELD_LENGTH = 16_384; // clientDataJSON, authenticatorData, signature
const MAX_USER_HANDLE_LENGTH = 128; // at most 64 bytes (§5.4.3)
const MAX_ATTESTATION_LENGTH = 65_536; // certificate chains of packed/TPM attestations fit easily
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The credential id an assertion claims, when well formed: look the stored
 * passkey up by it, then verify. Null for anything that cannot be an id.
 *
 * ```ts
 * const id = credentialIdOf(body.credential); // 'AQIDBA…' | null
 * ```
 */
export function credentialIdOf(response: unknown): string | null {
  if (!isRecord(response)) return null;
  const { id } = response;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || !BASE64URL.test(id))
    return null;
  return id;
}

/**
 * The user handle an assertion carries (a discoverable credential returns
 * the `user.id` given at registration), decoded; null when absent or malformed.
 *
 * ```ts
 * userHandleOf(body.credential) // '42'
 * ```
 */
export function userHandleOf(response: unknown): string | null {
  if (!isRecord(response) || !isRecord(response.response)) return null;
  const { userHandle } = response.response;
  if (typeof userHandle !== 'string' || userHandle.length === 0 || userHandle.length > MAX_USER_HANDLE_LENGTH)
    return null;
  if (!BASE64URL.test(userHandle)) return null;
  return Buffer.from(userHandle, 'base64url').toString('utf8');
}

/**
 * A clean copy of a registration response with its parts capped and typed, or why it is not one.
 *
 * ```ts
 * const json = registrationJson(body.credential); // RegistrationResponseJSON | 'Missing or malformed attestationObject' | …
 * ```
 */
export function registrationJson(response: unknown): RegistrationResponseJSON | string {
  const common = credentialJson(response);
  if (typeof common === 'string') return common;
  const inner = common.inner;
  if (!isBase64url(inner.attestationObject, MAX_ATTESTATION_LENGTH))
    return 'Missing or malformed attestationObject';
  if (inner.transports !== undefined && !Array.isArray(inner.transports)) return 'Malformed transports';
  return {
    ...common.outer,
    response: {
      clientDataJSON: common.clientDataJSON,
      attestationObject: inner.attestationObject,
      transports: cleanTransports(inner.transports),
    },
  };
}

/**
 * A clean copy of an assertion with its parts capped and typed, or why it is not one.
 *
 * ```ts
 * const json = assertionJson(body.credential); // AuthenticationResponseJSON | 'Missing or malformed signature' | …
 * ```
 */
export function assertionJson(response: unknown): AuthenticationResponseJSON | string {
  const common = credentialJson(response);
  if (typeof common === 'string') return common;
  const inner = common.inner;
  if (!isBase64url(inner.authenticatorData, MAX_FIELD_LENGTH))
    return 'Missing or malformed authenticatorData';
  if (!isBase64url(inner.signature, MAX_FIELD_LENGTH)) return 'Missing or malformed signature';
  // Browsers send null for a credential that is not discoverable.
  const { userHandle } = inner;
  if (userHandle !== undefined && userHandle !== null && !isBase64url(userHandle, MAX_USER_HANDLE_LENGTH))
    return 'Malformed userHandle';
  return {
    ...common.outer,
    response: {
      clientDataJSON: common.clientDataJSON,
      authenticatorData: inner.authenticatorData,
      signature: inner.signature,
      ...(typeof userHandle === 'string' ? { userHandle } : {}),
    },
  };
}

/** Caps and types the parts both ceremonies share, before the library parses anything. */
function credentialJson(response: unknown):
  | {
      outer: {
        id: string;
        rawId: string;
        type: 'public-key';
        clientExtensionResults: Record<string, unknown>;
      };
      inner: Record<string, unknown>;
      clientDataJSON: string;
    }
  | string {
  if (!isRecord(response)) return 'Credential is not an object';
  const id = credentialIdOf(response);
  if (id === null) return 'Missing or malformed credential ID';
  if (response.rawId !== id) return 'Credential ID and rawId differ';
  if (response.type !== 'public-key') return 'Credential type is not public-key';
  const inner = response.response;
  if (!isRecord(inner)) return 'Credential has no response';
  if (!isBase64url(inner.clientDataJSON, MAX_FIELD_LENGTH)) return 'Missing or malformed clientDataJSON';
  const extensions = response.clientExtensionResults ?? {};
  if (!isRecord(extensions)) return 'Malformed clientExtensionResults';
  return {
    outer: { id, rawId: id, type: 'public-key', clientExtensionResults: extensions },
    inner,
    clientDataJSON: inner.clientDataJSON,
  };
}

function isBase64url(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max && BASE64URL.test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cleanTransports(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((t): t is string => typeof t === 'string' && TRANSPORTS.has(t)))];
}

/**
 * The client's `credProps.rk`: whether the new credential is discoverable, when the client says.
 *
 * ```ts
 * credProps({ credProps: { rk: true } }) // true;  credProps({}) // null
 * ```
 */
export function credProps(results: unknown): boolean | null {
  if (!isRecord(results) || !isRecord(results.credProps)) return null;
  const { rk } = results.credProps;
  return typeof rk === 'boolean' ? rk : null;
}
