import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { type Row, toArticle } from '../sql-rows.ts';
import type { Article, ArticleStore } from '../types.ts';
import { guard } from './guard.ts';

/**
 * The reference server's articles in the `articles` table; deleting a user
 * deletes their articles (ON DELETE CASCADE).
 *
 * ```ts
 * const articles = new SqliteArticleStore(db);
 * await articles.create({ title: 'Hello', body: '…', authorId: alice.id, created: Date.now() });
 * ```
 */
export class SqliteArticleStore implements ArticleStore {
  readonly #insert: StatementSync;
  readonly #get: StatementSync;
  readonly #list: StatementSync;
  readonly #update: StatementSync;
  readonly #delete: StatementSync;

  constructor(db: DatabaseSync) {
    this.#insert = db.prepare(
      'INSERT INTO articles (title, body, author_id, created) VALUES (?, ?, ?, ?) RETURNING *',
    );
    this.#get = db.prepare('SELECT * FROM articles WHERE id = ?');
    this.#list = db.prepare('SELECT * FROM articles ORDER BY created DESC, id DESC');
    this.#update = db.prepare(
      `UPDATE articles SET title = iif(:set_title, :title, title), body = iif(:set_body, :body, body)
       WHERE id = :id RETURNING *`,
    );
    this.#delete = db.prepare('DELETE FROM articles WHERE id = ?');
  }

  async create(article: Omit<Article, 'id'>): Promise<Article> {
    const { title, body, authorId, created } = article;
    return toArticle(guard(() => this.#insert.get(title, body, authorId, created)) as Row);
  }

  async get(id: number): Promise<Article | null> {
    const row = guard(() => this.#get.get(id));
    return row ? toArticle(row) : null;
  }

  async list(): Promise<Article[]> {
    return guard(() => this.#list.all()).map(toArticle);
  }

  async update(id: number, patch: Partial<Pick<Article, 'title' | 'body'>>): Promise<Article | null> {
    const row = guard(() =>
      this.#update.get({
        id,
        set_title: patch.title === undefined ? 0 : 1,
        title: patch.title ?? null,
        set_body: patch.body === undefined ? 0 : 1,
        body: patch.body ?? null,
      }),
    );
    return row ? toArticle(row) : null;
  }

  async delete(id: number): Promise<boolean> {
    return guard(() => this.#delete.run(id)).changes === 1;
  }
}
