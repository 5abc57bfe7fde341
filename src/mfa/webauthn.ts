import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Random } from '../internal/random.ts';
import { assertionJson, credProps, registrationJson, userHandleOf } from './webauthn-json.ts';

export { credentialIdOf, userHandleOf } from './webauthn-json.ts';

/**
 * Passkeys (WebAuthn) over `@simplewebauthn/server`, reduced to what the
 * passkey views need: options to hand the browser, and verifications that
 * answer plain data a store can keep — never an exception for bad input.
 *
 * Choices, each the same as dj-rest-auth's (py_webauthn defaults):
 * - attestation `none`: we trust no authenticator model more than another,
 *   so an attestation statement would be collected and never used;
 * - user verification `preferred`: a PIN or biometric when the authenticator
 *   has one, without locking out security keys that have none (a passkey
 *   login skips the second factor, so `userVerified` is returned for a
 *   deployment that wants to require it);
 * - resident key `preferred`: the username-less login needs a discoverable
 *   credential and nearly every platform makes one, while `required` would
 *   turn away older security keys that can still sign in after the user
 *   types a username (login begin then lists the user's credentials).
 *   Whether the credential came out discoverable is read from the client's
 *   `credProps` extension, which the options always request.
 */

/** COSE algorithms offered and accepted: EdDSA, ES256, RS256 — pinned, so the options do not change with the Node version. */
export const PASSKEY_ALGORITHMS = [-8, -7, -257];
const CHALLENGE_BYTES = 32;
const DEFAULT_TIMEOUT_MS = 300_000; // dj-rest-auth's PASSKEY_CHALLENGE_TIMEOUT (300 s), in milliseconds

/** A passkey as a store keeps it: what the verification of its registration yields. */
export interface NewPasskey {
  /** The credential id, base64url without padding (unique across all users). */
  credentialId: string;
  /** The COSE_Key public key, as the authenticator sent it. */
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  /** From the client's `credProps` extension: true or false when reported, null when the client did not say. */
  discoverable: boolean | null;
  backedUp: boolean;
  /** Backup-eligible: a synced passkey (`multiDevice`) rather than one bound to a single device. */
  multiDevice: boolean;
  userVerified: boolean;
  aaguid: string;
}

/** What a stored passkey contributes to verifying a login. */
export interface StoredPasskey {
  id: string;
  publicKey: Uint8Array;
  counter: number;
  transports?: string[];
}

export type RegistrationResult = { verified: true; passkey: NewPasskey } | { verified: false; error: string };

export type AuthenticationResult =
  | {
      verified: true;
      credentialId: string;
      /** Store it: the next assertion must carry a higher counter (or both stay 0). */
      newCounter: number;
      userVerified: boolean;
      backedUp: boolean;
      multiDevice: boolean;
    }
  | { verified: false; error: string };

/**
 * The creation options for `navigator.credentials.create()` (the JSON form,
 * `challenge` base64url): what `POST /auth/passkeys/register/begin/` answers.
 * Keep `challenge` server-side for the complete step. `user.id` becomes the
 * user handle a discoverable credential returns at login (its UTF-8 bytes,
 * as dj-rest-auth's `str(user.pk).encode()`).
 *
 * ```ts
 * const options = await registrationOptions({ rpId: 'example.com', rpName: 'Gatehouse',
 *   user: { id: '42', username: 'alice' }, excludeCredentials: existing, random: cryptoRandom });
 * ```
 */
export async function registrationOptions({
  rpId,
  rpName,
  user,
  excludeCredentials = [],
  random,
  timeoutMs = DEFAULT_TIMEOUT_MS,
}: {
  rpId: string;
  rpName: string;
  user: { id: string; username: string; displayName?: string };
  excludeCredentials?: readonly { id: string; transports?: string[] }[];
  random: Random;
  timeoutMs?: number;
}): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpID: rpId,
    rpName,
    userID: new Uint8Array(Buffer.from(user.id, 'utf8')),
    userName: user.username,
    userDisplayName: user.displayName ?? user.username,
    challenge: new Uint8Array(random.bytes(CHALLENGE_BYTES)),
    timeout: timeoutMs,
    attestationType: 'none',
    excludeCredentials: excludeCredentials.map(({ id, transports }) =>
      transports ? { id, transports } : { id },
    ),
    // A fresh object each call: the library writes requireResidentKey into the one it is given.
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
  });
}

/**
 * Verifies what `navigator.credentials.create()` produced against the
 * challenge this server issued, its origins and its RP id, and answers the
 * passkey to store — or why not (`Registration verification failed: <error>`
 * on the wire).
 *
 * ```ts
 * const result = await verifyRegistration({ response: body.credential, expectedChallenge,
 *   expectedOrigins: ['https://example.com'], expectedRpId: 'example.com' });
 * if (result.verified) await passkeys.add(user.id, result.passkey);
 * ```
 */
export async function verifyRegistration({
  response,
  expectedChallenge,
  expectedOrigins,
  expectedRpId,
}: {
  response: unknown;
  expectedChallenge: string;
  expectedOrigins: readonly string[];
  expectedRpId: string;
}): Promise<RegistrationResult> {
  const json = registrationJson(response);
  if (typeof json === 'string') return { verified: false, error: json };
  let outcome: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    outcome = await verifyRegistrationResponse({
      response: json,
      expectedChallenge,
      expectedOrigin: [...expectedOrigins],
      expectedRPID: expectedRpId,
      requireUserVerification: false,
      supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
    });
  } catch (error) {
    return { verified: false, error: messageOf(error) };
  }
  if (!outcome.verified) return { verified: false, error: 'Attestation could not be verified' };
  const info = outcome.registrationInfo;
  // The library trusts the id inside the authenticator data; the id the client
  // claims must be the same, or the stored id would not be the one used to sign in.
  if (info.credential.id !== json.id) {
    return { verified: false, error: 'Credential ID does not match the authenticator data' };
  }
  return {
    verified: true,
    passkey: {
      credentialId: info.credential.id,
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
      transports: json.response.transports ?? [],
      discoverable: credProps(json.clientExtensionResults),
      backedUp: info.credentialBackedUp,
      multiDevice: info.credentialDeviceType === 'multiDevice',
      userVerified: info.userVerified,
      aaguid: info.aaguid,
    },
  };
}

/**
 * The request options for `navigator.credentials.get()`: what
 * `POST /auth/passkeys/login/begin/` answers (beside its `session_id`).
 * Without `allowCredentials` (no username given) any discoverable passkey
 * for the RP may answer; `allowCredentials` is then `[]`, as dj-rest-auth sends.
 *
 * ```ts
 * const options = await authenticationOptions({ rpId: 'example.com', random: cryptoRandom });
 * ```
 */
export async function authenticationOptions({
  rpId,
  allowCredentials = [],
  random,
  timeoutMs = DEFAULT_TIMEOUT_MS,
}: {
  rpId: string;
  allowCredentials?: readonly { id: string; transports?: string[] }[];
  random: Random;
  timeoutMs?: number;
}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rpId,
    allowCredentials: allowCredentials.map(({ id, transports }) =>
      transports ? { id, transports } : { id },
    ),
    challenge: new Uint8Array(random.bytes(CHALLENGE_BYTES)),
    timeout: timeoutMs,
    userVerification: 'preferred',
  });
}

/**
 * Verifies an assertion from `navigator.credentials.get()` against the
 * issued challenge, the origins, the RP id and the stored passkey: the
 * signature, user presence, and a counter that must have moved forward (a
 * cloned authenticator, or a replayed assertion, repeats an old one). When
 * the assertion carries a user handle and `expectedUserHandle` is given, they
 * must agree (WebAuthn §7.2 step 6).
 *
 * ```ts
 * const result = await verifyAuthentication({ response: body.credential, expectedChallenge,
 *   expectedOrigins, expectedRpId, credential: stored, expectedUserHandle: String(stored.userId) });
 * if (result.verified) await passkeys.touch(stored.id, result.newCounter);
 * ```
 */
export async function verifyAuthentication({
  response,
  expectedChallenge,
  expectedOrigins,
  expectedRpId,
  credential,
  expectedUserHandle,
}: {
  response: unknown;
  expectedChallenge: string;
  expectedOrigins: readonly string[];
  expectedRpId: string;
  credential: StoredPasskey;
  expectedUserHandle?: string;
}): Promise<AuthenticationResult> {
  const json = assertionJson(response);
  if (typeof json === 'string') return { verified: false, error: json };
  // The library checks the signature with the key it is handed, whatever id the client claims.
  if (json.id !== credential.id)
    return { verified: false, error: 'Credential ID does not match the stored passkey' };
  if (expectedUserHandle !== undefined && json.response.userHandle !== undefined) {
    if (userHandleOf(json) !== expectedUserHandle) {
      return { verified: false, error: 'User handle does not match the owner of the passkey' };
    }
  }
  let outcome: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    outcome = await verifyAuthenticationResponse({
      response: json,
      expectedChallenge,
      expectedOrigin: [...expectedOrigins],
      expectedRPID: expectedRpId,
      credential: {
        id: credential.id,
        publicKey: new Uint8Array(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports,
      },
      requireUserVerification: false,
    });
  } catch (error) {
    return { verified: false, error: messageOf(error) };
  }
  if (!outcome.verified) return { verified: false, error: 'Signature could not be verified' };
  const info = outcome.authenticationInfo;
  return {
    verified: true,
    credentialId: credential.id,
    newCounter: info.newCounter,
    userVerified: info.userVerified,
    backedUp: info.credentialBackedUp,
    multiDevice: info.credentialDeviceType === 'multiDevice',
  };
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Library messages can quote client input; keep what reaches a response short.
  return message.length > 200 ? `${message.slice(0, 197)}...` : message;
}
