import { type Clock, systemClock } from '../internal/clock.ts';
import type { EmailSender } from './message.ts';

/** How long one probe's answer stands (ms): a burst of requests costs one connection, not one each. */
const DEFAULT_TTL_MS = 5_000;

/**
 * Whether the mail server can take a message now, asked of the sender's
 * `verify()` at most once per `ttlMs` (concurrent callers share one probe)
 * and corrected by every real send. The endpoints that must answer alike for
 * every address (`reset_password`, `resend_activation`) ask it before they
 * answer, so a server that is down answers 503 for a known and an unknown
 * address alike, and the mail itself goes out after the answer.
 *
 * ```ts
 * const health = new EmailHealth(sender);
 * await health.check(); // throws EmailUnavailableError when the server is down
 * ```
 */
export class EmailHealth {
  readonly #sender: EmailSender;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  #known: { at: number; error: unknown } | null = null;
  #probe: Promise<void> | null = null;

  constructor(sender: EmailSender, options: { ttlMs?: number; clock?: Clock } = {}) {
    this.#sender = sender;
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#clock = options.clock ?? systemClock;
  }

  /** Resolves when mail can go out; rejects with the probe's `EmailUnavailableError` when it cannot. */
  async check(): Promise<void> {
    if (!this.#sender.verify) return;
    const known = this.#known;
    if (known && this.#clock.now() - known.at < this.#ttlMs) {
      if (known.error !== null) throw known.error;
      return;
    }
    this.#probe ??= this.#run();
    return this.#probe;
  }

  /** What a real send found out: it stands as a fresh probe's answer. */
  report(error: unknown = null): void {
    this.#known = { at: this.#clock.now(), error };
  }

  async #run(): Promise<void> {
    try {
      await this.#sender.verify?.();
      this.report();
    } catch (error) {
      this.report(error);
      throw error;
    } finally {
      this.#probe = null;
    }
  }
}
