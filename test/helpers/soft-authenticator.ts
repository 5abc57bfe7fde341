/**
 * A software WebAuthn authenticator for tests: P-256 keys from node:crypto,
 * `none` attestation in CBOR (the library's own encoder), client data as a
 * browser writes it, and ES256 assertion signatures. It answers the JSON
 * that `@simplewebauthn/browser` (or `PublicKeyCredential.toJSON()`) sends,
 * so registration and login can be verified end to end in Node. Overrides
 * let a test play a phishing origin, a stale challenge or another RP.
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

interface SoftCredential {
  id: Buffer;
  rpId: string;
  userHandle: string; // base64url, as the options carried it
  privateKey: KeyObject;
  counter: number;
  discoverable: boolean;
}

export interface CeremonyOverrides {
  /** The origin the "browser" reports in clientDataJSON. */
  origin?: string;
  /** The RP id whose hash the authenticator signs (the browser would refuse a foreign one; an attacker's client would not). */
  rpId?: string;
  /** A challenge other than the one in the options. */
  challenge?: string;
  /** Sign with this credential even if the options do not list it; at registration, the id to give the new one. */
  credentialId?: string;
}

export interface SoftAuthenticator {
  /** `navigator.credentials.create()`: a new credential for the options' RP and user. */
  create(
    options: PublicKeyCredentialCreationOptionsJSON,
    overrides?: CeremonyOverrides,
  ): RegistrationResponseJSON;
  /** `navigator.credentials.get()`: an assertion by a listed credential, or any discoverable one for the RP. */
  get(
    options: PublicKeyCredentialRequestOptionsJSON,
    overrides?: CeremonyOverrides,
  ): AuthenticationResponseJSON;
  /** A copy with the same keys and counters: a cloned authenticator. */
  clone(): SoftAuthenticator;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

/**
 * ```ts
 * const authenticator = createSoftAuthenticator({ origin: 'https://example.com' });
 * const credential = authenticator.create(await registrationOptions({ … }));
 * ```
 */
export function createSoftAuthenticator({
  origin,
  userVerification = true,
  backedUp = false,
  discoverable = true,
}: {
  origin: string;
  userVerification?: boolean;
  backedUp?: boolean;
  discoverable?: boolean;
}): SoftAuthenticator {
  return build(new Map<string, SoftCredential>());

  function build(credentials: Map<string, SoftCredential>): SoftAuthenticator {
    const flags = (attested: boolean) =>
      FLAG_UP |
      (userVerification ? FLAG_UV : 0) |
      (backedUp ? FLAG_BE | FLAG_BS : 0) |
      (attested ? FLAG_AT : 0);

    return {
      create(options, overrides = {}) {
        const rpId = overrides.rpId ?? options.rp.id ?? new URL(origin).hostname;
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const jwk = publicKey.export({ format: 'jwk' });
        const cose = isoCBOR.encode(
          new Map<number, number | Uint8Array>([
            [1, 2], // kty: EC2
            [3, -7], // alg: ES256
            [-1, 1], // crv: P-256
            [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
            [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
          ]),
        );
        const id = overrides.credentialId
          ? Buffer.from(overrides.credentialId, 'base64url')
          : randomBytes(16);
        const credential: SoftCredential = {
          id,
          rpId,
          userHandle: options.user.id,
          privateKey,
          counter: 0,
          discoverable,
        };
        credentials.set(id.toString('base64url'), credential);
        const idLength = Buffer.alloc(2);
        idLength.writeUInt16BE(id.length);
        const authData = Buffer.concat([
          sha256(rpId),
          Buffer.from([flags(true)]),
          counterBytes(0),
          Buffer.alloc(16), // AAGUID: zeros, as `none` attestation reports
          idLength,
          id,
          Buffer.from(cose),
        ]);
        const attestationObject = isoCBOR.encode(
          new Map<string, unknown>([
            ['fmt', 'none'],
            ['attStmt', new Map()],
            ['authData', new Uint8Array(authData)],
          ]) as Map<string, never>,
        );
        return {
          id: id.toString('base64url'),
          rawId: id.toString('base64url'),
          type: 'public-key',
          response: {
            clientDataJSON: clientData(
              'webauthn.create',
              overrides.challenge ?? options.challenge,
              overrides.origin,
            ),
            attestationObject: Buffer.from(attestationObject).toString('base64url'),
            transports: ['internal', 'hybrid'],
          },
          clientExtensionResults: { credProps: { rk: discoverable } },
          authenticatorAttachment: 'platform',
        };
      },

      get(options, overrides = {}) {
        const rpId = options.rpId ?? new URL(origin).hostname;
        const allowed = (options.allowCredentials ?? []).map((c) => c.id);
        const credential = overrides.credentialId
          ? credentials.get(overrides.credentialId)
          : [...credentials.values()].find((c) =>
              allowed.length > 0
                ? allowed.includes(c.id.toString('base64url'))
                : c.discoverable && c.rpId === rpId,
            );
        if (!credential) throw new Error('NotAllowedError: no credential for these options');
        credential.counter += 1;
        const authenticatorData = Buffer.concat([
          sha256(overrides.rpId ?? credential.rpId),
          Buffer.from([flags(false)]),
          counterBytes(credential.counter),
        ]);
        const clientDataJSON = clientData(
          'webauthn.get',
          overrides.challenge ?? options.challenge,
          overrides.origin,
        );
        const signed = Buffer.concat([authenticatorData, sha256(Buffer.from(clientDataJSON, 'base64url'))]);
        return {
          id: credential.id.toString('base64url'),
          rawId: credential.id.toString('base64url'),
          type: 'public-key',
          response: {
            clientDataJSON,
            authenticatorData: authenticatorData.toString('base64url'),
            // node:crypto signs EC keys in DER, the encoding WebAuthn's ES256 uses.
            signature: sign('sha256', signed, credential.privateKey).toString('base64url'),
            ...(credential.discoverable ? { userHandle: credential.userHandle } : {}),
          },
          clientExtensionResults: {},
          authenticatorAttachment: 'platform',
        };
      },

      clone() {
        const copy = new Map<string, SoftCredential>();
        for (const [key, c] of credentials) {
          const privateKey = createPrivateKey(c.privateKey.export({ format: 'pem', type: 'pkcs8' }));
          copy.set(key, { ...c, privateKey });
        }
        return build(copy);
      },
    };
  }

  function clientData(type: string, challenge: string, originOverride?: string): string {
    const json = JSON.stringify({ type, challenge, origin: originOverride ?? origin, crossOrigin: false });
    return Buffer.from(json).toString('base64url');
  }
}

function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

function counterBytes(counter: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(counter);
  return bytes;
}
