import type { NewPasskeyRecord, PasskeyRecord, PasskeyStore } from '../types.ts';

/**
 * Passkeys in process memory, by id and by credential id. Records handed out
 * are copies; `recordUse` compares and sets with no `await` in between.
 *
 * ```ts
 * const passkeys = new MemoryPasskeyStore();
 * const saved = await passkeys.create({ userId: 1, credentialId, publicKey, counter: 0, … });
 * ```
 */
export class MemoryPasskeyStore implements PasskeyStore {
  readonly #byId = new Map<number, PasskeyRecord>();
  readonly #idByCredential = new Map<string, number>();
  #nextId = 1;

  async create(passkey: NewPasskeyRecord): Promise<PasskeyRecord | null> {
    if (this.#idByCredential.has(passkey.credentialId)) return null;
    const record: PasskeyRecord = { ...passkey, transports: [...passkey.transports], id: this.#nextId++ };
    this.#byId.set(record.id, record);
    this.#idByCredential.set(record.credentialId, record.id);
    return copy(record);
  }

  async getByCredentialId(credentialId: string): Promise<PasskeyRecord | null> {
    const id = this.#idByCredential.get(credentialId);
    return id === undefined ? null : copy(this.#byId.get(id)!);
  }

  async get(userId: number, id: number): Promise<PasskeyRecord | null> {
    const found = this.#owned(userId, id);
    return found ? copy(found) : null;
  }

  async listByUser(userId: number): Promise<PasskeyRecord[]> {
    return [...this.#byId.values()]
      .filter((p) => p.userId === userId)
      .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
      .map(copy);
  }

  async rename(userId: number, id: number, name: string): Promise<PasskeyRecord | null> {
    const found = this.#owned(userId, id);
    if (!found) return null;
    found.name = name;
    return copy(found);
  }

  async delete(userId: number, id: number): Promise<PasskeyRecord | null> {
    const found = this.#owned(userId, id);
    if (!found) return null;
    this.#byId.delete(id);
    this.#idByCredential.delete(found.credentialId);
    return copy(found);
  }

  async deleteByUser(userId: number): Promise<number> {
    let count = 0;
    for (const p of [...this.#byId.values()]) {
      if (p.userId === userId && (await this.delete(userId, p.id))) count++;
    }
    return count;
  }

  async recordUse(
    id: number,
    { expectedCounter, counter, now }: { expectedCounter: number; counter: number; now: number },
  ): Promise<boolean> {
    const found = this.#byId.get(id);
    if (!found || found.counter !== expectedCounter) return false;
    found.counter = counter;
    found.lastUsedAt = now;
    return true;
  }

  #owned(userId: number, id: number): PasskeyRecord | undefined {
    const found = this.#byId.get(id);
    return found && found.userId === userId ? found : undefined;
  }
}

function copy(record: PasskeyRecord): PasskeyRecord {
  return { ...record, transports: [...record.transports] };
}
