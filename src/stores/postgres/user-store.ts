import type pg from 'pg';
import { toUser, USER_PATCH_COLUMNS } from '../sql-rows.ts';
import type { NewUser, User, UserPatch, UserStore } from '../types.ts';
import { UsernameTakenError } from '../types.ts';
import { isUniqueViolation } from './guard.ts';
import { query } from './query.ts';

/**
 * Users in the `users` table. The username is matched exactly: normalising it
 * (NFKC) is the caller's job, as in Django. A taken username is caught by the
 * UNIQUE constraint, not by a look-up first, so two concurrent sign-ups of one
 * name cannot both succeed.
 *
 * ```ts
 * const users = new PostgresUserStore(pool);
 * const alice = await users.create({ username: 'alice', email: '', password: hash, dateJoined: Date.now() });
 * ```
 */
export class PostgresUserStore implements UserStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async create(user: NewUser): Promise<User> {
    try {
      const { rows } = await query(
        this.#pool,
        `INSERT INTO users (username, email, password, is_active, is_staff, is_superuser, date_joined, pending_activation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [
          user.username,
          user.email,
          user.password,
          user.isActive ?? true,
          user.isStaff ?? false,
          user.isSuperuser ?? false,
          user.dateJoined,
          user.pendingActivation ?? false,
        ],
      );
      return toUser(rows[0]);
    } catch (error) {
      // The constraint carries the table prefix (`gatehouse_users_username_key`).
      if (
        isUniqueViolation(error) &&
        String((error as { constraint?: unknown }).constraint).endsWith('users_username_key')
      )
        throw new UsernameTakenError(user.username);
      throw error;
    }
  }

  async getById(id: number): Promise<User | null> {
    // PostgreSQL rejects a non-integer for a BIGINT outright; no such id exists, so say so.
    if (!Number.isSafeInteger(id)) return null;
    const { rows } = await query(this.#pool, 'SELECT * FROM users WHERE id = $1', [id]);
    return rows.length ? toUser(rows[0]) : null;
  }

  async getByUsername(username: string): Promise<User | null> {
    const { rows } = await query(this.#pool, 'SELECT * FROM users WHERE username = $1', [username]);
    return rows.length ? toUser(rows[0]) : null;
  }

  async listByEmail(email: string): Promise<User[]> {
    const { rows } = await query(
      this.#pool,
      'SELECT * FROM users WHERE lower(email) = lower($1) ORDER BY id',
      [email],
    );
    return rows.map(toUser);
  }

  async update(id: number, patch: UserPatch): Promise<User | null> {
    if (!Number.isSafeInteger(id)) return null;
    // Only the given keys are set, so `lastLogin: null` clears the column while an absent key leaves it.
    const values: unknown[] = [id];
    const sets: string[] = [];
    for (const [key, column] of USER_PATCH_COLUMNS) {
      if (patch[key] === undefined) continue;
      values.push(patch[key]);
      sets.push(`${column} = $${values.length}`);
    }
    const text = sets.length
      ? `UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING *`
      : 'SELECT * FROM users WHERE id = $1';
    try {
      const { rows } = await query(this.#pool, text, values);
      return rows.length ? toUser(rows[0]) : null;
    } catch (error) {
      // `username` is the one UNIQUE column a patch can set.
      if (isUniqueViolation(error)) throw new UsernameTakenError(String(patch.username));
      throw error;
    }
  }

  async delete(id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false;
    const { rowCount } = await query(this.#pool, 'DELETE FROM users WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  }

  async list(): Promise<User[]> {
    const { rows } = await query(this.#pool, 'SELECT * FROM users ORDER BY id');
    return rows.map(toUser);
  }
}
