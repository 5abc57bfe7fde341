import { ConfigurationError } from '../errors.ts';
import { type Clock, systemClock } from '../internal/clock.ts';
import type { Random } from '../internal/random.ts';
import type { Origin, SecurityEvents } from '../logging/security-events.ts';
import type { Revocations } from '../revocations.ts';
import type {
  PendingLogin,
  PendingLoginKind,
  PendingLoginStore,
  RecoveryCodeStore,
  TotpDevice,
  TotpDeviceStore,
  User,
  UserStore,
} from '../stores/types.ts';
import type { LoginThrottle } from '../throttling/login-throttle.ts';
import { openActivationToken, sealActivationToken } from './activation-token.ts';
import { judgeSecret } from './code-attempt.ts';
import {
  checkPendingLogin,
  hashEphemeralToken,
  mintBindingCookie,
  mintPendingLogin,
  PENDING_LOGIN_MAX_ATTEMPTS,
  PENDING_LOGIN_TTL_MS,
} from './pending-login.ts';
import { qrDataUri } from './qr-code.ts';
import { generateRecoveryCodes, matchRecoveryCode, unusedRecoveryCodes } from './recovery-codes.ts';
import type { SecretBox } from './secret-box.ts';
import { generateTotpSecret, totpUri, verifyTotp } from './totp.ts';

const TOTP_PURPOSE = 'totp-secret';
const CODES_PURPOSE = 'recovery-codes';
/** Expired pending logins are swept at most this often (each sweep is one indexed DELETE). */
const SWEEP_INTERVAL_MS = 60_000;

export interface SecondFactorsOptions {
  totpDevices: TotpDeviceStore;
  recoveryCodes: RecoveryCodeStore;
  pendingLogins: PendingLoginStore;
  users: UserStore;
  /** Seals TOTP secrets, recovery codes and activation tokens (see secret-box.ts). */
  box: SecretBox;
  /** Ends the other sessions when a factor is turned on or off. */
  revocations: Revocations;
  /** Wrong codes count as failed logins. */
  loginThrottle: LoginThrottle;
  events: SecurityEvents;
  /** The `issuer` of the otpauth:// URL, shown by authenticator apps. No ':'. */
  issuer: string;
  clock?: Clock;
  random: Random;
}

/** What a change of factors needs to know about the request that makes it. */
export interface ChangeContext {
  origin: Origin;
  /** The session making the change, which stays; every other session ends. */
  keepSessionKeyHash?: string;
}

export interface MfaStatus {
  enabled: boolean;
  createdAt: number | null;
  lastUsedAt: number | null;
}

export interface TotpActivation {
  secret: string;
  totpUrl: string;
  qrCodeDataUri: string;
  activationToken: string;
}

export type SecondStepOutcome =
  | { ok: true; user: User; kind: PendingLoginKind; method: 'totp' | 'recovery_code' }
  | { ok: false; error: 'ephemeral_token' | 'code' };

/**
 * Two-factor authentication for password logins: TOTP (RFC 6238) with ten
 * single-use recovery codes, and the pending second step of a login. The one
 * path for every change of a user's factors: each change seals what it
 * stores, ends the user's other sessions (and refresh tokens and access JWTs,
 * as a password change does) through Revocations, and writes its security
 * event — whoever calls it, a view or the CLI.
 *
 * ```ts
 * if (await gh.mfa.isEnabled(user.id)) token = await gh.mfa.startLogin(user, 'jwt', binding);
 * const outcome = await gh.mfa.completeLogin({ token, code, bindingOf, origin: req });
 * ```
 */
export class SecondFactors {
  readonly #devices: TotpDeviceStore;
  readonly #codes: RecoveryCodeStore;
  readonly #pending: PendingLoginStore;
  readonly #users: UserStore;
  readonly #box: SecretBox;
  readonly #revocations: Revocations;
  readonly #throttle: LoginThrottle;
  readonly #events: SecurityEvents;
  readonly #issuer: string;
  readonly #clock: Clock;
  readonly #random: Random;
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: SecondFactorsOptions) {
    this.#devices = options.totpDevices;
    this.#codes = options.recoveryCodes;
    this.#pending = options.pendingLogins;
    this.#users = options.users;
    this.#box = options.box;
    this.#revocations = options.revocations;
    this.#throttle = options.loginThrottle;
    this.#events = options.events;
    // Checked now: totpUri would refuse it on the first activation.
    if (options.issuer.includes(':') || options.issuer === '')
      throw new ConfigurationError(
        `mfa issuer: must be non-empty without ':', got ${JSON.stringify(options.issuer)}`,
      );
    this.#issuer = options.issuer;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random;
  }

  /** Whether password logins of this user need a second step: a TOTP device is set up (dj-rest-auth's `is_mfa_enabled`). */
  async isEnabled(userId: number): Promise<boolean> {
    return (await this.#devices.get(userId)) !== null;
  }

  /** `GET /auth/mfa/status/`: when TOTP was set up, and the last use of it or of a recovery code. */
  async status(userId: number): Promise<MfaStatus> {
    const device = await this.#devices.get(userId);
    if (!device) return { enabled: false, createdAt: null, lastUsedAt: null };
    const codes = await this.#codes.get(userId);
    const uses = [device.lastUsedAt, codes?.lastUsedAt ?? null].filter((t): t is number => t !== null);
    return { enabled: true, createdAt: device.createdAt, lastUsedAt: uses.length ? Math.max(...uses) : null };
  }

  /**
   * A new secret to scan, with its `otpauth://` URL, its QR code and the
   * activation token that carries it (sealed) to the confirming request.
   * Nothing is stored until a code confirms it.
   */
  async beginActivation(user: User): Promise<TotpActivation> {
    const secret = generateTotpSecret(this.#random);
    const totpUrl = totpUri({ secret, account: user.username, issuer: this.#issuer });
    return {
      secret,
      totpUrl,
      qrCodeDataUri: await qrDataUri(totpUrl),
      activationToken: sealActivationToken(this.#box, { secret, userId: user.id, now: this.#clock.now() }),
    };
  }

  /** The secret an activation token carries for this user, or null (another user's, tampered, older than 300 s). */
  activationSecret(user: User, token: string): string | null {
    return openActivationToken(this.#box, token, { userId: user.id, now: this.#clock.now() });
  }

  /**
   * Turns TOTP on with a secret the user's app has shown `code` for: the
   * device is stored with that code's step as used (the code that activated
   * cannot also log in), ten new recovery codes are stored, and the user's
   * other sessions end. Returns the codes, `'code'` for a wrong code, or
   * `'enabled'` when TOTP is on already (also when another request won a race).
   */
  async activate(
    user: User,
    { secret, code }: { secret: string; code: string },
    context: ChangeContext,
  ): Promise<string[] | 'code' | 'enabled'> {
    const now = this.#clock.now();
    const step = verifyTotp(secret, code, { now });
    if (step === null) return 'code';
    const created = await this.#devices.create({
      userId: user.id,
      sealedSecret: this.#box.seal(secret, { purpose: TOTP_PURPOSE, userId: user.id }),
      lastStep: step,
      createdAt: now,
      lastUsedAt: null,
    });
    if (!created) return 'enabled';
    let codes: string[];
    try {
      codes = await this.#newCodes(user.id);
    } catch (error) {
      // No TOTP without its recovery codes: undo, so the user can simply try again.
      await this.#devices.delete(user.id).catch(() => {});
      throw error;
    }
    await this.#endOtherSessions(user.id, context);
    this.#events.emit('mfa_enabled', { origin: context.origin, userId: user.id, reason: 'totp' });
    return codes;
  }

  /** Turns TOTP off: the device and the recovery codes go, and the user's other sessions end. False when it was off. */
  async deactivate(user: User, context: ChangeContext): Promise<boolean> {
    const removed = await this.#devices.delete(user.id);
    await this.#codes.delete(user.id);
    if (!removed) return false;
    await this.#endOtherSessions(user.id, context);
    this.#events.emit('mfa_disabled', { origin: context.origin, userId: user.id, reason: 'totp' });
    return true;
  }

  /**
   * An operator's reset (`gatehouse resetmfa`): TOTP and recovery codes go
   * and every session, refresh token and access JWT of the user ends.
   * Returns whether there was a device.
   */
  async reset(user: User, origin: Origin): Promise<boolean> {
    const removed = await this.#devices.delete(user.id);
    await this.#codes.delete(user.id);
    await this.#revocations.endUserCredentials(user.id, { tokens: false });
    this.#events.emit('mfa_disabled', { origin, userId: user.id, reason: 'operator_reset' });
    return removed;
  }

  /**
   * Whether `code` is the current TOTP code of the user's device (one step of
   * drift either way), accepted once: the step is recorded atomically, so a
   * replay — even a concurrent one — is refused.
   */
  async verifyTotp(user: User, code: string): Promise<boolean> {
    const device = await this.#devices.get(user.id);
    if (!device) return false;
    const secret = await this.#openSecret(device);
    if (secret === null) return false;
    const now = this.#clock.now();
    const step = verifyTotp(secret, code, { now, lastUsedStep: device.lastStep });
    if (step === null) return false;
    return this.#devices.useStep(user.id, { sealedSecret: device.sealedSecret, step, now });
  }

  /** Whether `code` is one of the user's unused recovery codes, which it then uses up (atomically). */
  async useRecoveryCode(user: User, code: string, origin: Origin): Promise<boolean> {
    const loaded = await this.#loadCodes(user.id);
    if (loaded === null) return false;
    const index = matchRecoveryCode(loaded.codes, code, { usedMask: loaded.usedMask });
    if (index === null) return false;
    const used = await this.#codes.markUsed(user.id, {
      sealedCodes: loaded.sealedCodes,
      index,
      now: this.#clock.now(),
    });
    if (used) this.#events.emit('recovery_code_used', { origin, userId: user.id, reason: String(index) });
    return used;
  }

  /** The user's unused recovery codes, in their original order; none when MFA is off. */
  async recoveryCodes(userId: number): Promise<string[]> {
    if (!(await this.isEnabled(userId))) return [];
    const loaded = await this.#loadCodes(userId);
    return loaded === null ? [] : unusedRecoveryCodes(loaded.codes, loaded.usedMask);
  }

  /** Ten new recovery codes, voiding the old set, and the other sessions end; null when MFA is off. */
  async regenerateRecoveryCodes(user: User, context: ChangeContext): Promise<string[] | null> {
    if (!(await this.isEnabled(user.id))) return null;
    const codes = await this.#newCodes(user.id);
    await this.#endOtherSessions(user.id, context);
    this.#events.emit('recovery_codes_regenerated', { origin: context.origin, userId: user.id });
    return codes;
  }

  /**
   * Starts the second step of a login whose password was right: a record
   * that remembers which login to finish, for whom, bound to `binding`
   * (see `pendingLoginBinding`). Returns the ephemeral token, shown once,
   * or null when the account changed while its password was checked.
   *
   * The record is bound to the user's credential epoch as refresh families
   * are: it is stamped before the durable record is read again, and that
   * read must still find the account active with the password that was
   * checked; `completeLogin` then refuses a record older than the user's
   * "not before". A password change, reset or logout everywhere that races
   * the login therefore ends it, whichever lands first.
   */
  async startLogin(
    user: User,
    kind: PendingLoginKind,
    binding: string,
    origin: Origin,
  ): Promise<string | null> {
    const now = this.#clock.now();
    await this.#sweep(now);
    const { token, record } = mintPendingLogin({ kind, userId: user.id, binding, now, random: this.#random });
    await this.#pending.create(record, now + PENDING_LOGIN_TTL_MS);
    const current = await this.#users.getByUsername(user.username); // never served from a cache
    if (!current || current.id !== user.id || !current.isActive || current.password !== user.password) {
      await this.#pending.consume(record.tokenHash, now);
      return null;
    }
    this.#events.emit('mfa_challenged', { origin, userId: user.id, reason: kind });
    return token;
  }

  /** A value for the HttpOnly cookie that binds a session login's second step to its browser. */
  bindingCookieValue(): string {
    return mintBindingCookie(this.#random);
  }

  /**
   * The pending login behind an ephemeral token, when it is alive and this
   * client's (`bindingOf` computes the client's binding for the record's
   * kind); null otherwise. Reads only: for a check that must come first
   * (CSRF for a session login).
   */
  async pendingLogin(
    token: unknown,
    bindingOf: (kind: PendingLoginKind) => string,
  ): Promise<PendingLogin | null> {
    const tokenHash = hashEphemeralToken(token);
    if (tokenHash === null) return null;
    const now = this.#clock.now();
    const found = await this.#pending.get(tokenHash, now);
    if (found === null || checkPendingLogin(found, { now, binding: bindingOf(found.kind) }) !== null)
      return null;
    return found;
  }

  /**
   * `POST /auth/mfa/verify/` past its field checks: the attempt is counted on
   * the pending login (at most 5, before the code is looked at) and in the
   * login throttle's buckets (429 past them), then the code is tried as a
   * TOTP code, then as a recovery code, and on success the pending login is
   * consumed (single use). `error` names the field of the contract's answer.
   */
  async completeLogin({
    record,
    code,
    origin,
  }: {
    record: PendingLogin;
    code: string;
    origin: Origin;
  }): Promise<SecondStepOutcome> {
    const now = this.#clock.now();
    const counted = await this.#pending.recordAttempt(record.tokenHash, {
      now,
      maxAttempts: PENDING_LOGIN_MAX_ATTEMPTS,
    });
    if (counted === null) return this.#failed(origin, record.userId, 'ephemeral_token', 'attempts_exhausted');
    const user = await this.#users.getById(record.userId);
    if (!user?.isActive) {
      await this.#pending.consume(record.tokenHash, now);
      return this.#failed(origin, record.userId, 'ephemeral_token', 'inactive');
    }
    // Started before the user's credentials last ended (a password change, reset, logout everywhere).
    if (record.createdAt < user.tokensValidAfter) {
      await this.#pending.consume(record.tokenHash, now);
      return this.#failed(origin, record.userId, 'ephemeral_token', 'credentials_ended');
    }
    let method: 'totp' | 'recovery_code' | null = null;
    const ok = await judgeSecret(
      this.#throttle,
      { account: user.username, address: origin.clientAddress },
      async () => {
        if (await this.verifyTotp(user, code)) method = 'totp';
        else if (await this.useRecoveryCode(user, code, origin)) method = 'recovery_code';
        return method !== null;
      },
    );
    if (!ok || method === null) return this.#failed(origin, user.id, 'code', 'invalid_code');
    const consumed = await this.#pending.consume(record.tokenHash, this.#clock.now());
    if (consumed === null) return this.#failed(origin, user.id, 'ephemeral_token', 'already_used');
    this.#events.emit('mfa_verified', { origin, userId: user.id, reason: method });
    return { ok: true, user, kind: consumed.kind, method };
  }

  #failed(
    origin: Origin,
    userId: number,
    error: 'ephemeral_token' | 'code',
    reason: string,
  ): { ok: false; error: 'ephemeral_token' | 'code' } {
    this.#events.emit('mfa_failed', { origin, userId, reason });
    return { ok: false, error };
  }

  async #newCodes(userId: number): Promise<string[]> {
    const codes = generateRecoveryCodes(this.#random);
    const sealedCodes = this.#box.seal(JSON.stringify(codes), { purpose: CODES_PURPOSE, userId });
    await this.#codes.replace({ userId, sealedCodes, createdAt: this.#clock.now() });
    return codes;
  }

  /** The device's secret; one sealed under a fallback key is sealed again under the current one. */
  async #openSecret(device: TotpDevice): Promise<string | null> {
    const opened = this.#box.open(device.sealedSecret, { purpose: TOTP_PURPOSE, userId: device.userId });
    if (opened === null) return null;
    if (opened.stale) {
      const resealed = this.#box.seal(opened.plaintext, { purpose: TOTP_PURPOSE, userId: device.userId });
      if (await this.#devices.reseal(device.userId, device.sealedSecret, resealed))
        device.sealedSecret = resealed;
    }
    return opened.plaintext;
  }

  /** The user's codes opened; a set sealed under a fallback key is sealed again under the current one. */
  async #loadCodes(
    userId: number,
  ): Promise<{ codes: string[]; usedMask: number; sealedCodes: string } | null> {
    const set = await this.#codes.get(userId);
    if (!set) return null;
    const opened = this.#box.open(set.sealedCodes, { purpose: CODES_PURPOSE, userId });
    if (opened === null) return null;
    const codes = JSON.parse(opened.plaintext) as unknown;
    if (!Array.isArray(codes) || !codes.every((c) => typeof c === 'string')) return null;
    let { sealedCodes } = set;
    if (opened.stale) {
      const resealed = this.#box.seal(opened.plaintext, { purpose: CODES_PURPOSE, userId });
      if (await this.#codes.reseal(userId, sealedCodes, resealed)) sealedCodes = resealed;
    }
    return { codes, usedMask: set.usedMask, sealedCodes };
  }

  async #endOtherSessions(userId: number, context: ChangeContext): Promise<void> {
    await this.#revocations.endUserCredentials(userId, {
      tokens: false,
      keepSessionKeyHash: context.keepSessionKeyHash,
    });
  }

  async #sweep(now: number): Promise<void> {
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS) return;
    this.#lastSweep = now;
    await this.#pending.deleteExpired(now);
  }
}
