import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { type Row, toUser, USER_PATCH_COLUMNS } from '../sql-rows.ts';
import type { NewUser, User, UserPatch, UserStore } from '../types.ts';
import { UsernameTakenError } from '../types.ts';
import { guard, isUniqueViolation } from './guard.ts';

/**
 * Users in the `users` table. The username is matched exactly: normalising it
 * (NFKC) is the caller's job, as in Django.
 *
 * ```ts
 * const users = new SqliteUserStore(db);
 * const alice = await users.create({ username: 'alice', email: '', password: hash, dateJoined: Date.now() });
 * ```
 */
export class SqliteUserStore implements UserStore {
  readonly #insert: StatementSync;
  readonly #byId: StatementSync;
  readonly #byUsername: StatementSync;
  readonly #byEmail: StatementSync;
  readonly #update: StatementSync;
  readonly #delete: StatementSync;
  readonly #list: StatementSync;

  constructor(db: DatabaseSync) {
    this.#insert = db.prepare(
      `INSERT INTO users (username, email, password, is_active, is_staff, is_superuser, date_joined, pending_activation)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    );
    this.#byId = db.prepare('SELECT * FROM users WHERE id = ?');
    this.#byUsername = db.prepare('SELECT * FROM users WHERE username = ?');
    this.#byEmail = db.prepare('SELECT * FROM users WHERE lower(email) = lower(?) ORDER BY id');
    // One statement for every patch shape: a `set_x` flag says whether column x changes,
    // so `lastLogin: null` can clear the column while an absent key leaves it alone.
    const sets = USER_PATCH_COLUMNS.map(([, c]) => `${c} = iif(:set_${c}, :${c}, ${c})`);
    this.#update = db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = :id RETURNING *`);
    this.#delete = db.prepare('DELETE FROM users WHERE id = ?');
    this.#list = db.prepare('SELECT * FROM users ORDER BY id');
  }

  async create(user: NewUser): Promise<User> {
    const row = guard(() => {
      try {
        return this.#insert.get(
          user.username,
          user.email,
          user.password,
          Number(user.isActive ?? true),
          Number(user.isStaff ?? false),
          Number(user.isSuperuser ?? false),
          user.dateJoined,
          Number(user.pendingActivation ?? false),
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new UsernameTakenError(user.username);
        throw error;
      }
    });
    return toUser(row as Row);
  }

  async getById(id: number): Promise<User | null> {
    const row = guard(() => this.#byId.get(id));
    return row ? toUser(row) : null;
  }

  async getByUsername(username: string): Promise<User | null> {
    const row = guard(() => this.#byUsername.get(username));
    return row ? toUser(row) : null;
  }

  async listByEmail(email: string): Promise<User[]> {
    return guard(() => this.#byEmail.all(email)).map(toUser);
  }

  async update(id: number, patch: UserPatch): Promise<User | null> {
    const values: Record<string, string | number | null> = { id };
    for (const [key, column] of USER_PATCH_COLUMNS) {
      const value = patch[key];
      values[`set_${column}`] = value === undefined ? 0 : 1;
      values[column] = typeof value === 'boolean' ? Number(value) : (value ?? null);
    }
    const row = guard(() => {
      try {
        return this.#update.get(values);
      } catch (error) {
        // `username` is the one UNIQUE column a patch can set.
        if (isUniqueViolation(error)) throw new UsernameTakenError(String(patch.username));
        throw error;
      }
    });
    return row ? toUser(row) : null;
  }

  async delete(id: number): Promise<boolean> {
    return Number(guard(() => this.#delete.run(id)).changes) > 0;
  }

  async list(): Promise<User[]> {
    return guard(() => this.#list.all()).map(toUser);
  }
}
