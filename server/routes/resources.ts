import {
  charFields,
  type Gatehouse,
  IsAdminUser,
  IsAuthenticated,
  IsAuthenticatedOrReadOnly,
  jsonResponse,
  NotFound,
  type Permission,
  type RequestContext,
  type Route,
  SAFE_METHODS,
  type ViewContext,
} from '../../src/index.ts';
import type { Article, ArticleStore } from '../articles/types.ts';
import { adminUserJson, articleJson } from '../serialize.ts';

/** The DRF tutorial's object permission: anyone may read, only the author may write. */
export const IsAuthorOrReadOnly: Permission = Object.freeze({
  hasPermission: () => true,
  hasObjectPermission: (ctx: RequestContext, obj: unknown) =>
    SAFE_METHODS.includes(ctx.req.method) || (obj as Article).authorId === ctx.user?.id,
});

/** The contract's "Example resources" table. */
export function resourceRoutes(gh: Gatehouse, articles: ArticleStore): Route[] {
  const { users } = gh.stores;

  async function render(article: Article) {
    const author = await users.getById(article.authorId);
    return articleJson(article, author?.username ?? '');
  }

  async function find(ctx: ViewContext): Promise<Article> {
    // A key that is not a number is DRF's bare Http404 (the lookup's ValueError).
    if (!/^\d{1,15}$/.test(ctx.params.id)) throw new NotFound();
    const article = await articles.get(Number(ctx.params.id));
    if (!article) throw new NotFound('No Article matches the given query.');
    await ctx.checkObject(article);
    return article;
  }

  const dashboard = gh.view({
    name: 'Dashboard',
    permissions: [IsAuthenticated],
    handlers: {
      GET: (ctx) => jsonResponse(200, { message: `Hello ${ctx.user.username}, welcome to your dashboard` }),
    },
  });

  const { session, token } = gh.authenticators;
  const profile = gh.view({
    name: 'Profile',
    // Token first: unauthenticated requests answer 401 with `WWW-Authenticate: Token`.
    authenticators: [
      token,
      ...gh.defaults.authenticators.filter((a) => a !== token && a !== session),
      session,
    ],
    permissions: [IsAuthenticated],
    handlers: { GET: (ctx) => jsonResponse(200, { username: ctx.user.username, email: ctx.user.email }) },
  });

  const articleList = gh.view({
    name: 'Article List',
    permissions: [IsAuthenticatedOrReadOnly],
    handlers: {
      GET: async () => jsonResponse(200, await Promise.all((await articles.list()).map(render))),
      POST: async (ctx) => {
        const fields = charFields(ctx.data(), {
          title: { maxLength: 200 },
          body: { default: '', allowBlank: true },
        });
        const article = await articles.create({ ...fields, authorId: ctx.user!.id, created: gh.clock.now() });
        return jsonResponse(201, await render(article));
      },
    },
  });

  async function update(ctx: ViewContext, partial: boolean) {
    const article = await find(ctx);
    const data = ctx.data();
    const present = (name: string) => typeof data === 'object' && data !== null && Object.hasOwn(data, name);
    const fields = charFields(data, {
      title: {
        maxLength: 200,
        required: !partial,
        default: partial && !present('title') ? article.title : undefined,
      },
      body: { allowBlank: true, default: present('body') ? undefined : partial ? article.body : '' },
    });
    const updated = await articles.update(article.id, fields);
    if (!updated) throw new NotFound('No Article matches the given query.');
    return jsonResponse(200, await render(updated));
  }

  const articleDetail = gh.view({
    name: 'Article Instance',
    permissions: [IsAuthenticatedOrReadOnly, IsAuthorOrReadOnly],
    handlers: {
      GET: async (ctx) => jsonResponse(200, await render(await find(ctx))),
      PUT: (ctx) => update(ctx, false),
      PATCH: (ctx) => update(ctx, true),
      DELETE: async (ctx) => {
        const article = await find(ctx);
        await articles.delete(article.id);
        return jsonResponse(204);
      },
    },
  });

  const adminUsers = gh.view({
    name: 'User List',
    permissions: [IsAdminUser],
    handlers: { GET: async () => jsonResponse(200, (await users.list()).map(adminUserJson)) },
  });

  return [
    { name: 'dashboard', path: '/api/dashboard/', view: dashboard, group: 'examples' },
    { name: 'profile', path: '/api/profile/', view: profile, group: 'examples' },
    { name: 'article-list', path: '/api/articles/', view: articleList, group: 'examples' },
    { name: 'article-detail', path: '/api/articles/:id/', view: articleDetail, group: 'examples' },
    { name: 'admin-users', path: '/api/admin/users/', view: adminUsers, group: 'examples' },
  ];
}
