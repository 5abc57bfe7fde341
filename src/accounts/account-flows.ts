import type { Accounts, NewAccount } from '../accounts.ts';
import {
  activationMessage,
  emailChangeMessage,
  passwordResetMessage,
  type SiteInfo,
} from '../email/messages.ts';
import { PermissionDenied, ValidationError } from '../errors.ts';
import { sha256Hex } from '../internal/hash.ts';
import type { Origin } from '../logging/security-events.ts';
import { isPasswordUsable } from '../passwords/unusable-password.ts';
import { validatePassword } from '../passwords/validators.ts';
import type { AuthRequest } from '../request.ts';
import type { CounterStore, User } from '../stores/types.ts';
import type { EmailThrottle } from '../throttling/email-throttle.ts';
import type { AccountMailer } from './account-mailer.ts';
import type { AccountTokens } from './account-tokens.ts';
import { decodeUid, encodeUid } from './uidb64.ts';
import { sameEmail } from './user-fields.ts';

/** djoser's `constants.Messages`. */
const INVALID_UID = "Invalid user id or user doesn't exist.";
const INVALID_TOKEN = 'Invalid token for given user.';
const STALE_TOKEN = 'Stale token for given user.';

export interface AccountFlowSettings {
  accounts: Accounts;
  tokens: AccountTokens;
  mailer: AccountMailer;
  emailThrottle: EmailThrottle;
  /** Where a followed reset link is marked spent (shared by every instance). */
  counters: CounterStore;
  /** djoser's `SEND_ACTIVATION_EMAIL` (`GATEHOUSE_SEND_ACTIVATION_EMAIL`): new accounts wait for their link. */
  sendActivationEmail?: boolean;
}

/**
 * djoser's account flows that go through the mailbox — sign-up with
 * activation, activation, resending it, password reset, and (a Gatehouse
 * addition) confirming a new address — with the contract's departures:
 * the endpoints that take an address answer alike whether or not anyone has
 * it, activation and reset links are not interchangeable and work once, a
 * reset ends every credential, and a mail server that is down leaves nothing
 * half-done.
 *
 * ```ts
 * await flows.requestReset(req, 'alice@example.com'); // resolves at once; the mail follows
 * await flows.confirmReset(uid, token, 'new password', req);
 * ```
 */
export class AccountFlows {
  readonly sendActivationEmail: boolean;
  readonly #accounts: Accounts;
  readonly #tokens: AccountTokens;
  readonly #mailer: AccountMailer;
  readonly #throttle: EmailThrottle;
  readonly #counters: CounterStore;

  constructor(settings: AccountFlowSettings) {
    this.#accounts = settings.accounts;
    this.#tokens = settings.tokens;
    this.#mailer = settings.mailer;
    this.#throttle = settings.emailThrottle;
    this.#counters = settings.counters;
    this.sendActivationEmail = settings.sendActivationEmail ?? false;
  }

  /**
   * Creates an account from validated input. With activation on, the user
   * is created inactive and its activation mail sent before this returns;
   * when the mail server will not take it, the user is deleted again and the
   * EmailUnavailableError (503) propagates: no account nobody can activate.
   */
  async register(req: AuthRequest, input: NewAccount): Promise<User> {
    if (!this.sendActivationEmail) return this.#accounts.create(input);
    // An account nobody can activate is never made (djoser makes one, L9).
    if (!input.email) throw new ValidationError({ email: ['This field is required.'] });
    const site = this.#mailer.site(req);
    await this.#throttle.hit(req, input.email);
    const user = await this.#accounts.create({ ...input, isActive: false, pendingActivation: true });
    try {
      await this.#mailer.send(
        activationMessage(site, {
          to: user.email,
          uid: encodeUid(user.id),
          token: this.#tokens.activation(user),
        }),
      );
    } catch (error) {
      await this.#accounts.delete(user, req);
      throw error;
    }
    return user;
  }

  /**
   * djoser's activation: the uid, then the token, then staleness. Only an
   * account still waiting for its link becomes active; a second use, or a
   * link of an account an operator deactivated since, is 403 `Stale token`.
   */
  async activate(uid: string, token: string, origin: Origin): Promise<User> {
    const user = await this.userFromUid(uid);
    if (!this.#tokens.checkActivation(user, token)) throw new ValidationError({ token: [INVALID_TOKEN] });
    if (!user.pendingActivation) throw new PermissionDenied(STALE_TOKEN);
    return this.#accounts.activate(user, origin);
  }

  /**
   * `resend_activation`: answers alike for every address (after the
   * throttles and the mail server's health); the activation mail goes, after
   * the answer, to each account with that address still waiting for it.
   */
  async requestActivation(req: AuthRequest, email: string): Promise<void> {
    const site = await this.#beforeMail(req, email);
    this.#mailer.later(req, async () => {
      for (const user of await this.#accounts.listByEmail(email)) {
        if (user.isActive || !user.pendingActivation || !isPasswordUsable(user.password)) continue;
        const token = this.#tokens.activation(user);
        const message = activationMessage(site, { to: user.email, uid: encodeUid(user.id), token });
        await this.#mailer.deliver(message, req, user.id);
      }
    });
  }

  /**
   * `reset_password`: answers alike for every address (after the throttles
   * and the mail server's health); the reset mail goes, after the answer, to
   * each active account with that address and a usable password, at the
   * address stored (never the one typed).
   */
  async requestReset(req: AuthRequest, email: string): Promise<void> {
    const site = await this.#beforeMail(req, email);
    this.#mailer.later(req, async () => {
      for (const user of await this.#accounts.listByEmail(email)) {
        if (!user.isActive || !isPasswordUsable(user.password)) continue;
        const token = this.#tokens.reset(user);
        const message = passwordResetMessage(site, {
          to: user.email,
          uid: encodeUid(user.id),
          token,
          username: user.username,
        });
        await this.#mailer.deliver(message, req, user.id);
      }
    });
  }

  /**
   * `reset_password_confirm`: the password validators that need no user
   * first (djoser's order), then the uid and the token, then every
   * validator against that user; then the new password, and every session,
   * refresh token, access JWT and API token of the user dies.
   */
  async confirmReset(uid: string, token: string, newPassword: string, origin: Origin): Promise<User> {
    const generic = validatePassword(newPassword, {});
    if (generic.length > 0) throw new ValidationError({ new_password: generic });
    const user = await this.userFromUid(uid);
    // An inactive account is not recovered by mail: an operator's deactivation stands.
    if (!user.isActive || !this.#tokens.checkReset(user, token))
      throw new ValidationError({ token: [INVALID_TOKEN] });
    const specific = validatePassword(newPassword, { username: user.username, email: user.email });
    if (specific.length > 0) throw new ValidationError({ new_password: specific });
    // Single use, also for requests that arrive together: the link dies with the password it sets,
    // but two requests may both pass the check before either writes. The first to count it wins.
    const spent = `reset_link_${sha256Hex(`${uid}:${token}`).slice(0, 32)}`;
    if ((await this.#counters.increment(spent, this.#tokens.timeout * 1000)).count > 1)
      throw new ValidationError({ token: [INVALID_TOKEN] });
    return this.#accounts.setPassword(user, newPassword, { origin, endTokens: true, field: 'new_password' });
  }

  /**
   * A changed address (`PUT`/`PATCH users/me/`): the same mailbox (or none)
   * is set at once; a new one only once the link mailed to it is followed,
   * so the account keeps its address — and stays active — until then.
   * Returns the user as it is now.
   */
  async requestEmailChange(req: AuthRequest, user: User, newEmail: string): Promise<User> {
    if (newEmail === user.email) return user;
    if (newEmail === '' || sameEmail(newEmail, user.email))
      return this.#accounts.setEmail(user, newEmail, req);
    const site = this.#mailer.site(req);
    await this.#throttle.hit(req, newEmail);
    const token = this.#tokens.emailChange(user, newEmail);
    await this.#mailer.send(
      emailChangeMessage(site, { to: newEmail, uid: encodeUid(user.id), token, username: user.username }),
    );
    return user;
  }

  /** `POST /auth/users/email/confirm/`: the address the link carries becomes the account's. */
  async confirmEmailChange(uid: string, token: string, origin: Origin): Promise<User> {
    const user = await this.userFromUid(uid);
    const newEmail = user.isActive ? this.#tokens.checkEmailChange(user, token) : null;
    if (newEmail === null) throw new ValidationError({ token: [INVALID_TOKEN] });
    return this.#accounts.setEmail(user, newEmail, origin);
  }

  /** The user a link's `uid` names, or djoser's uid error. */
  async userFromUid(uid: string): Promise<User> {
    const decoded = decodeUid(uid);
    const id = decoded !== null && /^\d{1,15}$/.test(decoded) ? Number(decoded) : null;
    const user = id === null ? null : await this.#accounts.getById(id);
    if (!user) throw new ValidationError({ uid: [INVALID_UID] });
    return user;
  }

  /** What the address-taking endpoints do before answering, the same for every address. */
  async #beforeMail(req: AuthRequest, email: string): Promise<SiteInfo> {
    const site = this.#mailer.site(req);
    await this.#throttle.hit(req, email);
    await this.#mailer.check();
    return site;
  }
}
