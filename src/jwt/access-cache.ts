import { ConfigurationError } from '../errors.ts';
import { type Clock, systemClock } from '../internal/clock.ts';
import type { JwtClaims } from './claims.ts';

interface Entry {
  claims: JwtClaims;
  /** ms: the entry is dead from here on (its `exp`). */
  expiresAt: number;
}

/**
 * A bounded LRU of verified access-token claims, keyed by the whole token
 * string. A hit is as good as a fresh verification: what `JwtCodec.verify`
 * decides depends only on the token, the keys and the time, and each entry
 * dies at its `exp` (never later; the codec's leeway is not extended here).
 * Only tokens that verified are stored, so a stranger cannot fill it with
 * forgeries; a token that differs by one character is a miss.
 *
 * Revocation is not this cache's business: the per-user "not before" check
 * and the user lookup run after it, on every request.
 *
 * ```ts
 * const cache = new VerifiedTokenCache({ max: 10_000, clock });
 * cache.set(token, claims);
 * cache.get(token); // claims, until claims.exp
 * ```
 */
export class VerifiedTokenCache {
  readonly max: number;
  readonly #clock: Clock;
  /** A Map iterates in insertion order: the first key is the least recently used. */
  readonly #entries = new Map<string, Entry>();

  constructor(options: { max?: number; clock?: Clock } = {}) {
    const max = options.max ?? 10_000;
    if (!Number.isSafeInteger(max) || max < 1)
      throw new ConfigurationError(`cache max must be a positive integer`);
    this.max = max;
    this.#clock = options.clock ?? systemClock;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The claims of a verified, unexpired token, or undefined. */
  get(token: string): JwtClaims | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    this.#entries.delete(token);
    if (this.#clock.now() >= entry.expiresAt) return undefined;
    this.#entries.set(token, entry);
    return entry.claims;
  }

  /** Stores the claims of a token that has just verified; an already expired one is not stored. */
  set(token: string, claims: JwtClaims): void {
    const expiresAt = claims.exp * 1000;
    this.#entries.delete(token);
    if (!(this.#clock.now() < expiresAt)) return;
    this.#entries.set(token, { claims, expiresAt });
    if (this.#entries.size > this.max) this.#evict();
  }

  delete(token: string): boolean {
    return this.#entries.delete(token);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Drops the least recently used entry, and any expired ones found in front of it. */
  #evict(): void {
    const now = this.#clock.now();
    for (const [token, entry] of this.#entries) {
      if (this.#entries.size <= this.max && entry.expiresAt > now) return;
      this.#entries.delete(token);
    }
  }
}
