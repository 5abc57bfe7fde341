import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { toPasskey } from '../mfa-rows.ts';
import type { NewPasskeyRecord, PasskeyRecord, PasskeyStore } from '../types.ts';
import { guard, isUniqueViolation } from './guard.ts';

/**
 * Passkeys in `passkeys`: public keys, counters and names; the credential id
 * is unique across users. `recordUse` is a compare-and-set on the counter.
 *
 * ```ts
 * const passkeys = new SqlitePasskeyStore(db);
 * await passkeys.recordUse(p.id, { expectedCounter: p.counter, counter: next, now });
 * ```
 */
export class SqlitePasskeyStore implements PasskeyStore {
  readonly #insert: StatementSync;
  readonly #byCredential: StatementSync;
  readonly #owned: StatementSync;
  readonly #list: StatementSync;
  readonly #rename: StatementSync;
  readonly #delete: StatementSync;
  readonly #deleteByUser: StatementSync;
  readonly #use: StatementSync;

  constructor(db: DatabaseSync) {
    this.#insert = db.prepare(
      `INSERT INTO passkeys (user_id, credential_id, public_key, counter, transports, name, discoverable,
         backed_up, created_at, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    );
    this.#byCredential = db.prepare('SELECT * FROM passkeys WHERE credential_id = ?');
    this.#owned = db.prepare('SELECT * FROM passkeys WHERE id = ? AND user_id = ?');
    this.#list = db.prepare('SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at DESC, id DESC');
    this.#rename = db.prepare('UPDATE passkeys SET name = ? WHERE id = ? AND user_id = ? RETURNING *');
    this.#delete = db.prepare('DELETE FROM passkeys WHERE id = ? AND user_id = ? RETURNING *');
    this.#deleteByUser = db.prepare('DELETE FROM passkeys WHERE user_id = ?');
    this.#use = db.prepare('UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ? AND counter = ?');
  }

  async create(p: NewPasskeyRecord): Promise<PasskeyRecord | null> {
    try {
      const row = guard(() =>
        this.#insert.get(
          p.userId,
          p.credentialId,
          p.publicKey,
          p.counter,
          JSON.stringify(p.transports),
          p.name,
          p.discoverable === null ? null : p.discoverable ? 1 : 0,
          p.backedUp ? 1 : 0,
          p.createdAt,
          p.lastUsedAt,
        ),
      );
      return toPasskey(row!);
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  async getByCredentialId(credentialId: string): Promise<PasskeyRecord | null> {
    const row = guard(() => this.#byCredential.get(credentialId));
    return row ? toPasskey(row) : null;
  }

  async get(userId: number, id: number): Promise<PasskeyRecord | null> {
    const row = guard(() => this.#owned.get(id, userId));
    return row ? toPasskey(row) : null;
  }

  async listByUser(userId: number): Promise<PasskeyRecord[]> {
    return guard(() => this.#list.all(userId)).map(toPasskey);
  }

  async rename(userId: number, id: number, name: string): Promise<PasskeyRecord | null> {
    const row = guard(() => this.#rename.get(name, id, userId));
    return row ? toPasskey(row) : null;
  }

  async delete(userId: number, id: number): Promise<PasskeyRecord | null> {
    const row = guard(() => this.#delete.get(id, userId));
    return row ? toPasskey(row) : null;
  }

  async deleteByUser(userId: number): Promise<number> {
    return Number(guard(() => this.#deleteByUser.run(userId)).changes);
  }

  async recordUse(
    id: number,
    { expectedCounter, counter, now }: { expectedCounter: number; counter: number; now: number },
  ): Promise<boolean> {
    return guard(() => this.#use.run(counter, now, id, expectedCounter)).changes === 1;
  }
}
