import { allowedHost } from '../csrf/origin.ts';
import { EmailHealth } from '../email/email-health.ts';
import type { EmailMessage, EmailSender } from '../email/message.ts';
import type { SiteInfo } from '../email/messages.ts';
import { ApiError, EmailUnavailableError, StoreUnavailableError } from '../errors.ts';
import type { Clock } from '../internal/clock.ts';
import type { Origin, SecurityEvents } from '../logging/security-events.ts';
import type { AuthRequest } from '../request.ts';

export interface AccountMailerSettings {
  sender: EmailSender;
  /** `GATEHOUSE_EMAIL_FROM`; default `webmaster@localhost` (Django's `DEFAULT_FROM_EMAIL`). */
  from?: string;
  /** `GATEHOUSE_FRONTEND_URL`: where the links point; unset, the request's own origin (once its host is allowed). */
  frontendUrl?: string | null;
  /** Shown in subjects and signatures; default the links' host (djoser: the request's). */
  siteName?: string;
  /** Django's `ALLOWED_HOSTS`: the hosts a request's own origin may be built from. */
  allowedHosts: readonly string[];
  events?: SecurityEvents;
  clock?: Clock;
  /** How long a health probe's answer stands (ms); default 5000. */
  healthTtlMs?: number;
}

/**
 * The account flows' post office: where links point (`site`), whether mail
 * can go out now (`check`), sending while the request waits (`send`), and
 * sending after the answer (`later`) — what the endpoints that must not
 * reveal whether an address is known use, so they answer in the same time
 * either way. A later send that fails is logged as `email_failed`.
 *
 * ```ts
 * const site = mailer.site(req);          // 400 for a Host outside ALLOWED_HOSTS when no frontend URL is set
 * await mailer.check();                   // 503 when the mail server is down
 * mailer.later(req, async () => { await mailer.send(passwordResetMessage(site, …)); });
 * ```
 */
export class AccountMailer {
  readonly sender: EmailSender;
  readonly health: EmailHealth;
  readonly #from: string | undefined;
  readonly #frontendUrl: string | null;
  readonly #siteName: string | undefined;
  readonly #allowedHosts: readonly string[];
  readonly #events: SecurityEvents | null;
  readonly #pending = new Set<Promise<void>>();

  constructor(settings: AccountMailerSettings) {
    this.sender = settings.sender;
    this.health = new EmailHealth(settings.sender, { ttlMs: settings.healthTtlMs, clock: settings.clock });
    this.#from = settings.from;
    this.#frontendUrl = settings.frontendUrl ?? null;
    this.#siteName = settings.siteName;
    this.#allowedHosts = settings.allowedHosts;
    this.#events = settings.events ?? null;
  }

  /**
   * What a mail sent for this request says about the site: the frontend URL,
   * or the request's own origin when its `Host` is an allowed host (an
   * attacker's `Host` header must not point a reset link at their server).
   * Throws 400 (Django's DisallowedHost) otherwise.
   */
  site(req: AuthRequest): SiteInfo {
    let frontendUrl = this.#frontendUrl;
    if (frontendUrl === null) {
      const host = allowedHost(req, this.#allowedHosts);
      if (host === null) {
        const shown = JSON.stringify(String(req.headers.host ?? '').slice(0, 255));
        throw new ApiError(400, `Invalid HTTP_HOST header: ${shown}.`, 'disallowed_host');
      }
      frontendUrl = `${req.secure ? 'https' : 'http'}://${host}`;
    }
    return { frontendUrl, from: this.#from, siteName: this.#siteName };
  }

  /** Resolves when mail can go out now; rejects with EmailUnavailableError (503) otherwise. */
  check(): Promise<void> {
    return this.health.check();
  }

  /** Sends while the caller waits; rejects with EmailUnavailableError (503) when the server will not take it. */
  async send(message: EmailMessage): Promise<void> {
    try {
      await this.sender.send(message);
      this.health.report();
    } catch (error) {
      // A server that refused one recipient is still up: it must not make every address answer 503.
      if (error instanceof EmailUnavailableError) this.health.report(error.messageRefused ? null : error);
      throw error;
    }
  }

  /**
   * Sends for a job running after the answer: a failure is logged
   * (`email_failed`, with the server's reason and the user), never thrown,
   * so one refused recipient does not keep the others' mail back.
   */
  async deliver(message: EmailMessage, origin: Origin, userId: number): Promise<void> {
    try {
      await this.send(message);
    } catch (error) {
      this.#failed(error, origin, userId);
    }
  }

  /**
   * Runs `job` after the current request has answered. A failure is logged
   * (`email_failed`), never thrown: the answer is already out, and it must
   * not have depended on the job.
   */
  later(origin: Origin, job: () => Promise<void>): void {
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(job)
      .catch((error: unknown) => this.#failed(error, origin, null))
      .finally(() => this.#pending.delete(run));
    this.#pending.add(run);
  }

  #failed(error: unknown, origin: Origin, userId: number | null): void {
    const reason =
      error instanceof EmailUnavailableError
        ? error.message.slice(0, 500)
        : error instanceof StoreUnavailableError
          ? 'store_unavailable'
          : 'internal_error';
    this.#events?.emit('email_failed', { origin, userId, reason });
  }

  /** Resolves once every job handed to `later` so far has finished (tests; a graceful stop). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  /** Waits for the pending jobs, then closes the sender (the SMTP pool). */
  async close(): Promise<void> {
    await this.settled();
    await this.sender.close();
  }
}
