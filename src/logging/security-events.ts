import type { Clock } from '../internal/clock.ts';
import type { SecurityEventName, SecurityLog } from './security-log.ts';

/**
 * Where an act came from: a request (any `AuthRequest` is one), or an
 * operator's command (`{ clientAddress: '', path: 'gatehouse revoketoken' }`).
 */
export interface Origin {
  readonly clientAddress: string;
  readonly path: string;
}

/** The origin of an act with no request behind it (library code, a script). */
export const NO_ORIGIN: Origin = Object.freeze({ clientAddress: '', path: '' });

/** The origin of a CLI command, as the security log shows it. */
export function commandOrigin(command: string): Origin {
  return Object.freeze({ clientAddress: '', path: `gatehouse ${command}` });
}

/**
 * Writes security events (LOG-01) with their origin and time. Every service
 * that issues or ends a credential holds one, so an event is written whoever
 * calls the service: a view, the CLI or application code.
 *
 * ```ts
 * events.emit('token_revoked', { origin: req, userId: 3, reason: token.id });
 * ```
 */
export class SecurityEvents {
  readonly #log: SecurityLog;
  readonly #clock: Clock;

  constructor(log: SecurityLog, clock: Clock) {
    this.#log = log;
    this.#clock = clock;
  }

  emit(
    event: SecurityEventName,
    details: { origin?: Origin; userId: number | null; reason?: string; keyHash?: string | null },
  ): void {
    const origin = details.origin ?? NO_ORIGIN;
    this.#log({
      event,
      userId: details.userId,
      // The first 12 hex characters of the key's SHA-256: enough to correlate, useless to an attacker.
      sessionRef: details.keyHash ? details.keyHash.slice(0, 12) : null,
      ip: origin.clientAddress,
      route: origin.path,
      at: new Date(this.#clock.now()).toISOString(),
      ...(details.reason === undefined ? {} : { reason: details.reason }),
    });
  }
}
