import type { RevocationBus, RevocationMessage, Stores } from '../types.ts';
import type { HealthReportingBus } from './hot-cache.ts';

/**
 * The revocation bus as the hot-path cache sees it, healthy only while the
 * durable store answers too. A warm cache must not keep authenticating while
 * the database is down ("a store that is down never lets a request through"):
 * the durable store is pinged every `intervalMs`, and the moment a ping fails
 * the cache stops serving, so requests reach the database and answer 503.
 *
 * A hit asks `validate()`, which reads `healthy` once per turn of the event
 * loop (on `setImmediate`) for every lookup of that turn, as `VersionWatch`
 * does on SQLite: the reading is still taken after each lookup began, and
 * the answers of a turn go out together. Under load that costs less than
 * answering each request at once: beside the same server answering inline,
 * 57–60 µs against 76–81 µs of CPU per JWT request on PostgreSQL + Redis
 * (wrk, 20 connections, three pairs; `npm run bench` shows the ratios).
 *
 * ```ts
 * const watched = new DurableWatch(redis.bus, durable, { intervalMs: 500 });
 * const stores = createCachedStores(durable, watched);
 * ```
 */
export class DurableWatch implements HealthReportingBus {
  readonly #bus: RevocationBus;
  readonly #listeners = new Set<(healthy: boolean) => void>();
  readonly #timer: NodeJS.Timeout;
  #durableUp = true;
  /** The reading the lookups of this turn wait for. */
  #turn: Promise<boolean> | null = null;
  #last: boolean;

  constructor(bus: RevocationBus, durable: Pick<Stores, 'ping'>, options: { intervalMs?: number } = {}) {
    this.#bus = bus;
    this.#last = bus.healthy;
    const reporting = bus as Partial<HealthReportingBus>;
    // Forwarded as reported: a bus may report a gap (false, then true) while its lease still runs.
    reporting.onHealthChange?.call(bus, (healthy) => this.#changed(healthy && this.#durableUp));
    let pinging = false;
    this.#timer = setInterval(async () => {
      if (pinging) return; // a hanging ping is itself a failure, reported by the next tick
      pinging = true;
      try {
        await durable.ping();
        this.#durableUp = true;
      } catch {
        this.#durableUp = false;
      } finally {
        pinging = false;
        this.#changed();
      }
    }, options.intervalMs ?? 500);
    this.#timer.unref();
  }

  get healthy(): boolean {
    return this.#durableUp && this.#bus.healthy;
  }

  /** Resolves with `healthy` read after this call, in this turn's check phase (see above). */
  validate(): Promise<boolean> {
    this.#turn ??= new Promise((resolve) =>
      setImmediate(() => {
        this.#turn = null; // a lookup that asks from here on waits for the next reading
        resolve(this.healthy);
      }),
    );
    return this.#turn;
  }

  get settleMs(): number | undefined {
    return this.#bus.settleMs;
  }

  publish(message: RevocationMessage): Promise<void> {
    return this.#bus.publish(message);
  }

  subscribe(listener: (message: RevocationMessage) => void): () => void {
    return this.#bus.subscribe(listener);
  }

  onHealthChange(listener: (healthy: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #changed(now = this.healthy): void {
    if (now === this.#last) return;
    this.#last = now;
    for (const listener of this.#listeners) listener(now);
  }
}
