import { createHmac, hkdfSync } from 'node:crypto';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { type Clock, systemClock } from '../internal/clock.ts';
import type { Random } from '../internal/random.ts';
import type { Origin, SecurityEvents } from '../logging/security-events.ts';
import { normalizeUsername } from '../passwords/verify-credentials.ts';
import type { Revocations } from '../revocations.ts';
import type {
  PasskeyRecord,
  PasskeyStore,
  User,
  UserStore,
  WebAuthnChallengeStore,
} from '../stores/types.ts';
import type { RelyingParty } from './relying-party.ts';
import type { ChangeContext } from './second-factors.ts';
import {
  authenticationOptions,
  credentialIdOf,
  registrationOptions,
  verifyAuthentication,
  verifyRegistration,
} from './webauthn.ts';

/** How long a browser has to complete a ceremony: the options' `timeout`, and the challenge's life. */
export const PASSKEY_CHALLENGE_TTL_MS = 300_000;
/** The name a passkey gets when none is given (dj-rest-auth's). */
export const DEFAULT_PASSKEY_NAME = 'Passkey';
const SWEEP_INTERVAL_MS = 60_000;
const FAKE_ID_BYTES = 16;

export interface PasskeysOptions {
  store: PasskeyStore;
  challenges: WebAuthnChallengeStore;
  users: UserStore;
  revocations: Revocations;
  events: SecurityEvents;
  /** Keys the stand-in credential ids of usernames without passkeys (see `loginOptions`). */
  secretKey: string;
  clock?: Clock;
  random: Random;
}

export type PasskeyResult<T> = { ok: true; value: T } | { ok: false; detail: string };

const EXPIRED_REGISTRATION = 'Registration challenge has expired. Please start over.';
const EXPIRED_AUTHENTICATION = 'Authentication challenge has expired. Please start over.';

/**
 * Passkeys (WebAuthn) for sign-in: registration by a logged-in user, the
 * passwordless login, and the user's list. Challenges are single-use and
 * expire with the ceremony's timeout; a login moves the passkey's signature
 * counter by compare-and-set, so a cloned authenticator or a replayed
 * assertion is refused. Adding or removing a passkey ends the user's other
 * sessions and writes a security event, as every change of factors does.
 *
 * ```ts
 * const options = await gh.passkeys.registrationOptions(user, rp);
 * const saved = await gh.passkeys.register(user, { credential, name }, rp, { origin: req });
 * ```
 */
export class Passkeys {
  readonly #store: PasskeyStore;
  readonly #challenges: WebAuthnChallengeStore;
  readonly #users: UserStore;
  readonly #revocations: Revocations;
  readonly #events: SecurityEvents;
  readonly #fakeIdKey: Buffer;
  readonly #clock: Clock;
  readonly #random: Random;
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: PasskeysOptions) {
    this.#store = options.store;
    this.#challenges = options.challenges;
    this.#users = options.users;
    this.#revocations = options.revocations;
    this.#events = options.events;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random;
    this.#fakeIdKey = Buffer.from(
      hkdfSync(
        'sha256',
        Buffer.from(options.secretKey, 'utf8'),
        Buffer.alloc(0),
        'gatehouse passkey ids v1',
        32,
      ),
    );
  }

  /**
   * `POST /auth/passkeys/register/begin/`: creation options for the user,
   * excluding the authenticators it has registered already. The challenge is
   * kept under the user (a second begin replaces the first).
   */
  async registrationOptions(user: User, rp: RelyingParty): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.#store.listByUser(user.id);
    const options = await registrationOptions({
      rpId: rp.id,
      rpName: rp.name,
      user: { id: String(user.id), username: user.username },
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
      random: this.#random,
      timeoutMs: PASSKEY_CHALLENGE_TTL_MS,
    });
    await this.#keep(`registration:${user.id}`, options.challenge, user.id);
    return options;
  }

  /**
   * `POST /auth/passkeys/register/complete/`: verifies the new credential
   * against the user's challenge (used up whatever the outcome), the origins
   * and the RP id, and stores it.
   */
  async register(
    user: User,
    { credential, name }: { credential: unknown; name: string },
    rp: RelyingParty,
    context: ChangeContext,
  ): Promise<PasskeyResult<PasskeyRecord>> {
    const now = this.#clock.now();
    const challenge = await this.#challenges.consume(`registration:${user.id}`, now);
    if (challenge === null) return { ok: false, detail: EXPIRED_REGISTRATION };
    const result = await verifyRegistration({
      response: credential,
      expectedChallenge: challenge.challenge,
      expectedOrigins: rp.origins,
      expectedRpId: rp.id,
    });
    if (!result.verified) return { ok: false, detail: `Registration verification failed: ${result.error}` };
    const { passkey } = result;
    const saved = await this.#store.create({
      userId: user.id,
      credentialId: passkey.credentialId,
      publicKey: Buffer.from(passkey.publicKey).toString('base64url'),
      counter: passkey.counter,
      transports: passkey.transports,
      name: name || DEFAULT_PASSKEY_NAME,
      discoverable: passkey.discoverable,
      backedUp: passkey.backedUp,
      createdAt: now,
      lastUsedAt: null,
    });
    if (saved === null) return { ok: false, detail: 'This credential is already registered.' };
    await this.#endOtherSessions(user.id, context);
    this.#events.emit('passkey_added', { origin: context.origin, userId: user.id, reason: String(saved.id) });
    return { ok: true, value: saved };
  }

  /**
   * `POST /auth/passkeys/login/begin/`: request options and the `session_id`
   * the complete step names. Without a username, the discoverable flow
   * (`allowCredentials: []`): the browser offers whatever passkey it holds
   * for this site, and nothing is said about any account. With one, the
   * user's own credentials when it exists and has passkeys, and otherwise
   * one stand-in credential id derived from the username under a key only
   * the server has (WebAuthn's §14.6.3 advice), so the answer has the same
   * shape for every name and the same one each time.
   */
  async loginOptions(
    username: string | null,
    rp: RelyingParty,
  ): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; sessionId: string }> {
    let allowCredentials: { id: string; transports?: string[] }[] = [];
    if (username !== null) {
      const normalized = normalizeUsername(username);
      const user = await this.#users.getByUsername(normalized);
      const own = user?.isActive ? await this.#store.listByUser(user.id) : [];
      allowCredentials =
        own.length > 0
          ? own.map((p) =>
              p.transports.length ? { id: p.credentialId, transports: p.transports } : { id: p.credentialId },
            )
          : [{ id: this.#standInId(normalized) }];
    }
    const options = await authenticationOptions({
      rpId: rp.id,
      allowCredentials,
      random: this.#random,
      timeoutMs: PASSKEY_CHALLENGE_TTL_MS,
    });
    const sessionId = this.#random.bytes(16).toString('hex');
    await this.#keep(`authentication:${sessionId}`, options.challenge, null);
    return { options, sessionId };
  }

  /**
   * `POST /auth/passkeys/login/complete/`: the user whose passkey signed the
   * challenge of `sessionId` (used up whatever the outcome), or why not. The
   * signature is checked before the account's state, so knowing a
   * credential id tells nothing about its owner. `userVerified`: the
   * authenticator checked a PIN or biometric, so the passkey is two factors
   * in one; without it (a security key with no PIN) it is only something the
   * user has, and a login needs the user's second factor as well.
   */
  async login(
    credential: unknown,
    sessionId: string,
    rp: RelyingParty,
    origin: Origin,
  ): Promise<PasskeyResult<{ user: User; userVerified: boolean }>> {
    const now = this.#clock.now();
    const challenge = await this.#challenges.consume(`authentication:${sessionId}`, now);
    if (challenge === null) return this.#refused(origin, null, EXPIRED_AUTHENTICATION, 'challenge_expired');
    const id = credentialIdOf(credential);
    if (id === null) {
      const why =
        typeof credential === 'object' && credential !== null && !Array.isArray(credential)
          ? 'Missing or malformed credential ID'
          : 'Credential is not an object';
      return this.#refused(origin, null, `Authentication verification failed: ${why}`, 'malformed');
    }
    const passkey = await this.#store.getByCredentialId(id);
    if (passkey === null)
      return this.#refused(
        origin,
        null,
        'Authentication verification failed: Credential not found',
        'unknown_credential',
      );
    const result = await verifyAuthentication({
      response: credential,
      expectedChallenge: challenge.challenge,
      expectedOrigins: rp.origins,
      expectedRpId: rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
        counter: passkey.counter,
        transports: passkey.transports,
      },
      expectedUserHandle: String(passkey.userId),
    });
    if (!result.verified)
      return this.#refused(
        origin,
        passkey.userId,
        `Authentication verification failed: ${result.error}`,
        'verification',
      );
    const user = await this.#users.getById(passkey.userId);
    if (!user?.isActive)
      return this.#refused(
        origin,
        passkey.userId,
        'Authentication verification failed: User inactive or deleted',
        'inactive',
      );
    const moved = await this.#store.recordUse(passkey.id, {
      expectedCounter: passkey.counter,
      counter: result.newCounter,
      now: this.#clock.now(),
    });
    if (!moved)
      return this.#refused(
        origin,
        user.id,
        'Authentication verification failed: The passkey was used by another login at the same moment',
        'counter_race',
      );
    return { ok: true, value: { user, userVerified: result.userVerified } };
  }

  /** The user's passkeys, newest first. */
  list(userId: number): Promise<PasskeyRecord[]> {
    return this.#store.listByUser(userId);
  }

  get(userId: number, id: number): Promise<PasskeyRecord | null> {
    return this.#store.get(userId, id);
  }

  rename(userId: number, id: number, name: string): Promise<PasskeyRecord | null> {
    return this.#store.rename(userId, id, name);
  }

  /** Removes one of the user's passkeys; its other sessions end. Null when the user has no such passkey. */
  async remove(user: User, id: number, context: ChangeContext): Promise<PasskeyRecord | null> {
    const removed = await this.#store.delete(user.id, id);
    if (removed === null) return null;
    await this.#endOtherSessions(user.id, context);
    this.#events.emit('passkey_removed', { origin: context.origin, userId: user.id, reason: String(id) });
    return removed;
  }

  /** Removes every passkey of a user (an operator's `gatehouse resetmfa --passkeys`); returns how many. */
  async removeAll(user: User, origin: Origin): Promise<number> {
    const count = await this.#store.deleteByUser(user.id);
    if (count > 0) this.#events.emit('passkey_removed', { origin, userId: user.id, reason: 'all' });
    return count;
  }

  #refused(
    origin: Origin,
    userId: number | null,
    detail: string,
    reason: string,
  ): { ok: false; detail: string } {
    this.#events.emit('passkey_login_failed', { origin, userId, reason });
    return { ok: false, detail };
  }

  async #keep(key: string, challenge: string, userId: number | null): Promise<void> {
    const now = this.#clock.now();
    if (now - this.#lastSweep >= SWEEP_INTERVAL_MS) {
      this.#lastSweep = now;
      await this.#challenges.deleteExpired(now);
    }
    await this.#challenges.put({ key, challenge, userId, expiresAt: now + PASSKEY_CHALLENGE_TTL_MS });
  }

  /** A credential id no authenticator holds, the same for a username each time. */
  #standInId(username: string): string {
    return createHmac('sha256', this.#fakeIdKey)
      .update(username, 'utf8')
      .digest()
      .subarray(0, FAKE_ID_BYTES)
      .toString('base64url');
  }

  async #endOtherSessions(userId: number, context: ChangeContext): Promise<void> {
    await this.#revocations.endUserCredentials(userId, {
      tokens: false,
      keepSessionKeyHash: context.keepSessionKeyHash,
    });
  }
}
