import type { TotpDevice, TotpDeviceStore } from '../types.ts';

/**
 * TOTP devices in process memory, one per user. Each verb checks and writes
 * with no `await` in between, so it is atomic on one event loop.
 *
 * ```ts
 * const devices = new MemoryTotpDeviceStore();
 * await devices.create({ userId: 1, sealedSecret, lastStep: step, createdAt: now, lastUsedAt: null });
 * ```
 */
export class MemoryTotpDeviceStore implements TotpDeviceStore {
  readonly #byUser = new Map<number, TotpDevice>();

  async get(userId: number): Promise<TotpDevice | null> {
    const device = this.#byUser.get(userId);
    return device ? { ...device } : null;
  }

  async create(device: TotpDevice): Promise<boolean> {
    if (this.#byUser.has(device.userId)) return false;
    this.#byUser.set(device.userId, { ...device });
    return true;
  }

  async useStep(
    userId: number,
    { sealedSecret, step, now }: { sealedSecret: string; step: number; now: number },
  ): Promise<boolean> {
    const device = this.#byUser.get(userId);
    if (!device || device.sealedSecret !== sealedSecret) return false;
    if (device.lastStep !== null && device.lastStep >= step) return false;
    device.lastStep = step;
    device.lastUsedAt = now;
    return true;
  }

  async reseal(userId: number, from: string, to: string): Promise<boolean> {
    const device = this.#byUser.get(userId);
    if (!device || device.sealedSecret !== from) return false;
    device.sealedSecret = to;
    return true;
  }

  async delete(userId: number): Promise<boolean> {
    return this.#byUser.delete(userId);
  }
}
