import type pg from 'pg';
import { StoreUnavailableError } from '../../src/index.ts';
import { createPostgresPool, isUnavailableError } from '../../src/stores/postgres/index.ts';
import { type Article, type ArticleStore, toArticle } from './types.ts';

/** The articles in the reference server's own table of the PostgreSQL database, on a small pool of its own. */
export class PostgresArticleStore implements ArticleStore {
  readonly #pool: pg.Pool;
  #ready: Promise<unknown> | null = null;

  constructor(url: string) {
    this.#pool = createPostgresPool(url, { poolSize: 4 });
  }

  async #query(text: string, values?: unknown[]): Promise<pg.QueryResult<Record<string, unknown>>> {
    try {
      this.#ready ??= this.#pool.query(`CREATE TABLE IF NOT EXISTS example_articles (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL,
        author_id BIGINT NOT NULL, created BIGINT NOT NULL)`);
      await this.#ready;
      return await this.#pool.query(text, values);
    } catch (error) {
      if (isUnavailableError(error)) {
        this.#ready = null;
        throw new StoreUnavailableError('postgres unavailable', { cause: error });
      }
      throw error;
    }
  }

  async create({ title, body, authorId, created }: Omit<Article, 'id'>): Promise<Article> {
    const { rows } = await this.#query(
      'INSERT INTO example_articles (title, body, author_id, created) VALUES ($1, $2, $3, $4) RETURNING *',
      [title, body, authorId, created],
    );
    return toArticle(rows[0]);
  }

  async get(id: number): Promise<Article | null> {
    if (!Number.isSafeInteger(id)) return null;
    const { rows } = await this.#query('SELECT * FROM example_articles WHERE id = $1', [id]);
    return rows.length ? toArticle(rows[0]) : null;
  }

  async list(): Promise<Article[]> {
    const { rows } = await this.#query('SELECT * FROM example_articles ORDER BY created DESC, id DESC');
    return rows.map(toArticle);
  }

  async update(id: number, patch: Partial<Pick<Article, 'title' | 'body'>>): Promise<Article | null> {
    if (!Number.isSafeInteger(id)) return null;
    const { rows } = await this.#query(
      'UPDATE example_articles SET title = COALESCE($2, title), body = COALESCE($3, body) WHERE id = $1 RETURNING *',
      [id, patch.title ?? null, patch.body ?? null],
    );
    return rows.length ? toArticle(rows[0]) : null;
  }

  async delete(id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false;
    return (await this.#query('DELETE FROM example_articles WHERE id = $1', [id])).rowCount === 1;
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}
