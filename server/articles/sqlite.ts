import type { StatementSync } from 'node:sqlite';
import { StoreUnavailableError } from '../../src/index.ts';
import { isUnavailableError, openSqliteDatabase } from '../../src/stores/sqlite/index.ts';
import { type Article, type ArticleStore, toArticle } from './types.ts';

function guard<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isUnavailableError(error)) throw new StoreUnavailableError('sqlite unavailable', { cause: error });
    throw error;
  }
}

/**
 * The articles in the reference server's own table of the SQLite file, on a
 * connection of its own (an application's tables beside Gatehouse's).
 */
export class SqliteArticleStore implements ArticleStore {
  readonly #close: () => void;
  readonly #insert: StatementSync;
  readonly #get: StatementSync;
  readonly #list: StatementSync;
  readonly #update: StatementSync;
  readonly #delete: StatementSync;

  constructor(path: string) {
    const db = openSqliteDatabase(path);
    this.#close = () => db.isOpen && db.close();
    guard(() =>
      db.exec(`CREATE TABLE IF NOT EXISTS example_articles (
        id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, body TEXT NOT NULL,
        author_id INTEGER NOT NULL, created INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS example_articles_created ON example_articles (created DESC, id DESC);`),
    );
    this.#insert = db.prepare(
      'INSERT INTO example_articles (title, body, author_id, created) VALUES (?, ?, ?, ?) RETURNING *',
    );
    this.#get = db.prepare('SELECT * FROM example_articles WHERE id = ?');
    this.#list = db.prepare('SELECT * FROM example_articles ORDER BY created DESC, id DESC');
    this.#update = db.prepare(
      `UPDATE example_articles SET title = iif(:set_title, :title, title), body = iif(:set_body, :body, body)
       WHERE id = :id RETURNING *`,
    );
    this.#delete = db.prepare('DELETE FROM example_articles WHERE id = ?');
  }

  async create({ title, body, authorId, created }: Omit<Article, 'id'>): Promise<Article> {
    return toArticle(
      guard(() => this.#insert.get(title, body, authorId, created)) as Record<string, unknown>,
    );
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

  async close(): Promise<void> {
    this.#close();
  }
}
