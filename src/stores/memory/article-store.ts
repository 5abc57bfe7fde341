import type { Article, ArticleStore } from '../types.ts';

/**
 * The reference server's articles held in process memory, with ids counted
 * from 1 as SQL's AUTOINCREMENT would. Records handed out are copies.
 *
 * ```ts
 * const articles = new MemoryArticleStore();
 * const a = await articles.create({ title: 'Hello', body: '…', authorId: 1, created: Date.now() });
 * ```
 */
export class MemoryArticleStore implements ArticleStore {
  readonly #byId = new Map<number, Article>();
  #nextId = 1;

  async create(article: Omit<Article, 'id'>): Promise<Article> {
    const { title, body, authorId, created } = article;
    const record: Article = { id: this.#nextId++, title, body, authorId, created };
    this.#byId.set(record.id, record);
    return { ...record };
  }

  async get(id: number): Promise<Article | null> {
    const article = this.#byId.get(id);
    return article ? { ...article } : null;
  }

  async list(): Promise<Article[]> {
    const articles = [...this.#byId.values()].map((a) => ({ ...a }));
    return articles.sort((a, b) => b.created - a.created || b.id - a.id);
  }

  async update(id: number, patch: Partial<Pick<Article, 'title' | 'body'>>): Promise<Article | null> {
    const article = this.#byId.get(id);
    if (!article) return null;
    if (patch.title !== undefined) article.title = patch.title;
    if (patch.body !== undefined) article.body = patch.body;
    return { ...article };
  }

  async delete(id: number): Promise<boolean> {
    return this.#byId.delete(id);
  }
}
