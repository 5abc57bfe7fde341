import type { NewUser, User, UserPatch, UserStore } from '../types.ts';
import { UsernameTakenError } from '../types.ts';
import { userRecord } from '../user-record.ts';

/**
 * Users held in process memory. Usernames match exactly (case-sensitive, no
 * normalisation: NFKC is the caller's job); every record handed out is a copy.
 *
 * ```ts
 * const users = new MemoryUserStore();
 * const alice = await users.create({ username: 'alice', email: '', password: hash, dateJoined: Date.now() });
 * ```
 */
export class MemoryUserStore implements UserStore {
  readonly #byId = new Map<number, User>();
  readonly #idByUsername = new Map<string, number>();
  #nextId = 1;

  async create(user: NewUser): Promise<User> {
    if (this.#idByUsername.has(user.username)) throw new UsernameTakenError(user.username);
    const record: User = {
      id: this.#nextId++,
      username: user.username,
      email: user.email,
      password: user.password,
      isActive: user.isActive ?? true,
      isStaff: user.isStaff ?? false,
      isSuperuser: user.isSuperuser ?? false,
      dateJoined: user.dateJoined,
      lastLogin: null,
      tokensValidAfter: 0,
      pendingActivation: user.pendingActivation ?? false,
    };
    this.#byId.set(record.id, record);
    this.#idByUsername.set(record.username, record.id);
    return userRecord(record);
  }

  async getById(id: number): Promise<User | null> {
    const user = this.#byId.get(id);
    return user ? userRecord(user) : null;
  }

  async getByUsername(username: string): Promise<User | null> {
    const id = this.#idByUsername.get(username);
    return id === undefined ? null : this.getById(id);
  }

  async listByEmail(email: string): Promise<User[]> {
    const wanted = asciiLower(email);
    return [...this.#byId.values()].filter((u) => asciiLower(u.email) === wanted).map(userRecord);
  }

  async update(id: number, patch: UserPatch): Promise<User | null> {
    const user = this.#byId.get(id);
    if (!user) return null;
    if (patch.username !== undefined && patch.username !== user.username) {
      if (this.#idByUsername.has(patch.username)) throw new UsernameTakenError(patch.username);
      this.#idByUsername.delete(user.username);
      this.#idByUsername.set(patch.username, id);
    }
    for (const [key, value] of Object.entries(patch)) {
      // An explicit `undefined` means "leave alone", as an absent key does in SQL.
      if (value !== undefined) Object.assign(user, { [key]: value });
    }
    return userRecord(user);
  }

  async delete(id: number): Promise<boolean> {
    const user = this.#byId.get(id);
    if (!user) return false;
    this.#byId.delete(id);
    this.#idByUsername.delete(user.username);
    return true;
  }

  async list(): Promise<User[]> {
    return [...this.#byId.values()].map(userRecord);
  }
}

/** SQL's `lower()` as SQLite has it: ASCII letters only, so every backend matches alike. */
function asciiLower(value: string): string {
  return value.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
