import { StoreUnavailableError } from '../../errors.ts';
import type { RevocationBus, RevocationMessage } from '../types.ts';

/**
 * The revocation bus inside one process: for a single instance with cached
 * stores, and for tests. `peer()` opens another bus on the same in-process
 * channel, standing for a second instance's connection; `setHealthy(false)`
 * stands for a lost connection: that bus then misses every message, as a
 * Redis subscriber would, until `setHealthy(true)`.
 *
 * ```ts
 * const a = new MemoryRevocationBus();
 * const b = a.peer();
 * b.subscribe((m) => console.log(m));
 * await a.publish({ kind: 'user', userId: 7 }); // b's listener has run
 * ```
 */
export class MemoryRevocationBus implements RevocationBus {
  readonly #peers: Set<MemoryRevocationBus>;
  readonly #listeners = new Set<(message: RevocationMessage) => void>();
  readonly #healthListeners = new Set<(healthy: boolean) => void>();
  /** How long Revocations waits after a failed publish (the caches' TTL; see RevocationBus). */
  readonly settleMs: number | undefined;
  #healthy = true;

  constructor(options: { peerOf?: MemoryRevocationBus; settleMs?: number } = {}) {
    this.#peers = options.peerOf ? options.peerOf.#peers : new Set();
    this.#peers.add(this);
    this.settleMs = options.settleMs ?? options.peerOf?.settleMs;
  }

  /** Another bus on this one's channel (another instance's connection). */
  peer(): MemoryRevocationBus {
    return new MemoryRevocationBus({ peerOf: this });
  }

  get healthy(): boolean {
    return this.#healthy;
  }

  /** Delivers to every healthy bus's listeners before it resolves. */
  async publish(message: RevocationMessage): Promise<void> {
    if (!this.#healthy) throw new StoreUnavailableError('revocation bus disconnected');
    for (const bus of this.#peers) bus.#deliver(message);
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

  /** Simulates losing (false) and regaining (true) the connection. */
  setHealthy(healthy: boolean): void {
    if (this.#healthy === healthy) return;
    this.#healthy = healthy;
    for (const listener of [...this.#healthListeners]) listener(healthy);
  }

  #deliver(message: RevocationMessage): void {
    if (!this.#healthy) return; // lost, as on a dropped connection
    let failed = false;
    for (const listener of [...this.#listeners]) {
      try {
        listener({ ...message });
      } catch {
        failed = true;
      }
    }
    // A listener that threw may not have dropped its entry: make every cache clear.
    if (failed) {
      this.setHealthy(false);
      this.setHealthy(true);
    }
  }
}
