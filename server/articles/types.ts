/** The reference server's example resource: the DRF tutorial's articles. */
export interface Article {
  id: number;
  title: string;
  body: string;
  authorId: number;
  created: number;
}

/** Where the articles live: the reference server's own table, beside Gatehouse's in the same database. */
export interface ArticleStore {
  create(article: Omit<Article, 'id'>): Promise<Article>;
  get(id: number): Promise<Article | null>;
  /** Newest first. */
  list(): Promise<Article[]>;
  update(id: number, patch: Partial<Pick<Article, 'title' | 'body'>>): Promise<Article | null>;
  delete(id: number): Promise<boolean>;
  close(): Promise<void>;
}

/** An `example_articles` row as either database returns it. */
export function toArticle(row: Record<string, unknown>): Article {
  return {
    id: Number(row.id),
    title: row.title as string,
    body: row.body as string,
    authorId: Number(row.author_id),
    created: Number(row.created),
  };
}
