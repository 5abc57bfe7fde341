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
        `INSERT INTO users (username, email, password, is_active, is_staff, is_superuser, date_joined)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          user.username,
          user.email,
          user.password,
          user.isActive ?? true,
          user.isStaff ?? false,
          user.isSuperuser ?? false,
          user.dateJoined,
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
    const { rows } = await query(this.#pool, text, values);
    return rows.length ? toUser(rows[0]) : null;
  }

  async list(): Promise<User[]> {
    const { rows } = await query(this.#pool, 'SELECT * FROM users ORDER BY id');
    return rows.map(toUser);
  }
}
