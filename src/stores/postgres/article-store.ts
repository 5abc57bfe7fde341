import type pg from 'pg';
import { toArticle } from '../sql-rows.ts';
import type { Article, ArticleStore } from '../types.ts';
import { query } from './query.ts';

/**
 * The reference server's articles in the `articles` table; deleting a user
 * deletes their articles (ON DELETE CASCADE).
 *
 * ```ts
 * const articles = new PostgresArticleStore(pool);
 * await articles.create({ title: 'Hello', body: '…', authorId: alice.id, created: Date.now() });
 * ```
 */
export class PostgresArticleStore implements ArticleStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async create(article: Omit<Article, 'id'>): Promise<Article> {
    const { title, body, authorId, created } = article;
    const { rows } = await query(
      this.#pool,
      'INSERT INTO articles (title, body, author_id, created) VALUES ($1, $2, $3, $4) RETURNING *',
      [title, body, authorId, created],
    );
    return toArticle(rows[0]);
  }

  async get(id: number): Promise<Article | null> {
    // A non-integer is no article's id; PostgreSQL would reject it for a BIGINT instead.
    if (!Number.isSafeInteger(id)) return null;
    const { rows } = await query(this.#pool, 'SELECT * FROM articles WHERE id = $1', [id]);
    return rows.length ? toArticle(rows[0]) : null;
  }

  async list(): Promise<Article[]> {
    const { rows } = await query(this.#pool, 'SELECT * FROM articles ORDER BY created DESC, id DESC');
    return rows.map(toArticle);
  }

  async update(id: number, patch: Partial<Pick<Article, 'title' | 'body'>>): Promise<Article | null> {
    if (!Number.isSafeInteger(id)) return null;
    // COALESCE keeps a column whose key is absent; title and body are never null, so no flag is needed.
    const { rows } = await query(
      this.#pool,
      'UPDATE articles SET title = COALESCE($2, title), body = COALESCE($3, body) WHERE id = $1 RETURNING *',
      [id, patch.title ?? null, patch.body ?? null],
    );
    return rows.length ? toArticle(rows[0]) : null;
  }

  async delete(id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false;
    return (await query(this.#pool, 'DELETE FROM articles WHERE id = $1', [id])).rowCount === 1;
  }
}
