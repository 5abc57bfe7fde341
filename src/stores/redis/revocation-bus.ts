import { StoreUnavailableError } from '../../errors.ts';
import type { RevocationBus, RevocationMessage } from '../types.ts';
import { decodeRevocation, encodeRevocation } from './revocation-message.ts';
import { guardRedis, type RedisClient } from './unavailable.ts';

export interface RedisRevocationBusOptions {
  /** Any connection: PUBLISH is an ordinary command. */
  publisher: RedisClient;
  /** A connection of its own: SUBSCRIBE puts it in subscriber mode for good. */
  subscriber: RedisClient;
  /** E.g. `gh:revocations`. */
  channel: string;
  /** How often the subscriber connection is PINGed (default 1000 ms); see `#beat`. */
  heartbeatMs?: number;
}

/**
 * The revocation signal between instances on Redis pub/sub. Pub/sub delivers
 * at most once and keeps nothing for a subscriber that is away, so `healthy`
 * is false from the moment the subscriber connection drops until it has
 * re-subscribed (Redis acknowledged the SUBSCRIBE on the new connection):
 * in between, messages may have been lost and caches must not serve.
 *
 * ```ts
 * const bus = new RedisRevocationBus({ publisher: redis, subscriber: redis.duplicate(), channel: 'gh:revocations' });
 * bus.onHealthChange((healthy) => healthy || cache.clear());
 * await bus.publish({ kind: 'session', keyHash });
 * ```
 */
export class RedisRevocationBus implements RevocationBus {
  readonly channel: string;
  readonly #publisher: RedisClient;
  readonly #subscriber: RedisClient;
  readonly #listeners = new Set<(message: RevocationMessage) => void>();
  readonly #healthListeners = new Set<(healthy: boolean) => void>();
  readonly #heartbeat: NodeJS.Timeout;
  /** Our listeners on the subscriber connection, kept so `close` can detach them. */
  readonly #handlers: Record<string, (channel: string, payload: string) => void>;
  #healthy = false;
  /** Bumped on every connection loss, so a late SUBSCRIBE reply from a dead connection is ignored. */
  #generation = 0;
  #closed = false;

  constructor(options: RedisRevocationBusOptions) {
    this.channel = options.channel;
    this.#publisher = options.publisher;
    this.#subscriber = options.subscriber;
    this.#handlers = {
      message: (channel: string, payload: string) => channel === this.channel && this.#deliver(payload),
      ready: () => void this.#subscribe(),
      close: () => this.#lost(),
      end: () => this.#lost(),
    };
    for (const [event, handler] of Object.entries(this.#handlers)) this.#subscriber.on(event, handler);
    if (this.#subscriber.status === 'ready') void this.#subscribe();
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs ?? 1000).unref();
  }

  get healthy(): boolean {
    return this.#healthy;
  }

  /** Resolves after Redis acknowledged the PUBLISH; StoreUnavailableError when it cannot. */
  async publish(message: RevocationMessage): Promise<void> {
    await guardRedis(() => this.#publisher.publish(this.channel, encodeRevocation(message)));
  }

  subscribe(listener: (message: RevocationMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Called with every change of `healthy`; returns the unsubscribe function. */
  onHealthChange(listener: (healthy: boolean) => void): () => void {
    this.#healthListeners.add(listener);
    return () => void this.#healthListeners.delete(listener);
  }

  /** Resolves once healthy; rejects with StoreUnavailableError after `timeoutMs`. */
  whenHealthy(timeoutMs: number): Promise<void> {
    if (this.#healthy) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new StoreUnavailableError(`redis: not subscribed to ${this.channel} after ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.onHealthChange((healthy) => {
        if (!healthy) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  /** Stops the heartbeat and detaches from the subscriber connection (which the caller closes). */
  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const [event, handler] of Object.entries(this.#handlers)) this.#subscriber.off(event, handler);
    this.#lost();
  }

  async #subscribe(): Promise<void> {
    const generation = this.#generation;
    try {
      await this.#subscriber.subscribe(this.channel);
    } catch {
      return; // the connection went again; its next 'ready' tries again
    }
    if (generation === this.#generation && !this.#closed) this.#setHealthy(true);
  }

  #lost(): void {
    this.#generation++;
    this.#setHealthy(false);
  }

  /**
   * A subscriber connection only ever reads, so a silently dead peer (a
   * network partition, a frozen server) would never be noticed: a PING that
   * fails or times out makes the bus unhealthy at once, and drops the
   * connection so ioredis reconnects (its 'close' may come much later: a
   * frozen peer never answers the FIN).
   */
  #beat(): void {
    if (!this.#healthy) return;
    const generation = this.#generation;
    this.#subscriber.ping().catch(() => {
      if (generation !== this.#generation || this.#closed) return;
      this.#lost();
      this.#subscriber.disconnect(true);
    });
  }

  #deliver(payload: string): void {
    const message = decodeRevocation(payload);
    let failed = message === null;
    for (const listener of message ? this.#listeners : []) {
      try {
        listener(message!);
      } catch {
        failed = true;
      }
    }
    // Unreadable message, or a listener that threw: a revocation may not have
    // landed, so tell every cache it may have missed one (they clear).
    if (failed && this.#healthy) {
      this.#setHealthy(false);
      this.#setHealthy(true);
    }
  }

  #setHealthy(healthy: boolean): void {
    if (this.#healthy === healthy) return;
    this.#healthy = healthy;
    for (const listener of [...this.#healthListeners]) listener(healthy);
  }
}
