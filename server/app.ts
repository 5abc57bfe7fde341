import Fastify, { type FastifyInstance } from 'fastify';
import { fromFastifyRequest, mount, sendFastifyReply } from '../src/adapters/fastify.ts';
import {
  type ApiResponse,
  type Config,
  type Gatehouse,
  NotFound,
  type Route,
  toResponse,
} from '../src/index.ts';
import type { ArticleStore } from './articles/types.ts';
import { browsable } from './browsable.ts';
import { browsableAuthRoutes } from './routes/browsable-auth.ts';
import { resourceRoutes } from './routes/resources.ts';
import { spaRoutes } from './routes/spa.ts';

/**
 * Every route of the reference server: the library's endpoints (with the
 * browsable API around them), the example resources, and the pages.
 */
export function serverRoutes(gh: Gatehouse, articles: ArticleStore): Route[] {
  return [
    ...gh.urls().map((route) => ({ ...route, view: browsable(gh, route.view) })),
    ...resourceRoutes(gh, articles).map((route) => ({ ...route, view: browsable(gh, route.view) })),
    ...browsableAuthRoutes(gh),
    ...spaRoutes(gh),
  ];
}

/**
 * The reference server: a Fastify app that mounts the library's views like
 * any user would, plus the example resources and the pages.
 */
export async function buildApp(gh: Gatehouse, config: Config): Promise<FastifyInstance> {
  const adapter = { trustProxy: config.trustProxy, now: () => gh.clock.now(), direct: true };
  const notFound = (res: ApiResponse, request: Parameters<typeof fromFastifyRequest>[0]) => {
    gh.finish(fromFastifyRequest(request, adapter), res);
    return res;
  };
  const app = Fastify({
    bodyLimit: 1_048_576,
    trustProxy: false,
    logger: false,
    return503OnClosing: true,
    // A URL Fastify cannot decode (`/api/articles/%ff/`) matches no route: Django's 404.
    frameworkErrors: (_error, request, reply) =>
      sendFastifyReply(reply, notFound(toResponse(new NotFound()), request), adapter),
  });
  // Requests node's parser refuses (bad framing, huge headers) still get DRF's shape.
  app.server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const body =
      status === 431 ? '{"detail":"Request header fields too large."}' : '{"detail":"Malformed request."}';
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  // Any other method on a known path answers 405 with Allow (HDR-03), as Django's View does.
  app.addHttpMethod('PROPFIND', { hasBody: true });
  // The example resource is the application's own table, beside Gatehouse's in the same database.
  const articles = await openArticles(config);
  app.addHook('onClose', () => articles.close());
  await mount(app, serverRoutes(gh, articles), adapter);
  app.setNotFoundHandler((request, reply) => {
    const req = fromFastifyRequest(request, adapter);
    const res = gh.cors.preflight(req) ?? toResponse(new NotFound());
    gh.finish(req, res);
    return sendFastifyReply(reply, res, adapter);
  });
  return app;
}

/** The articles' store for the configured database (PostgreSQL's driver loaded only when configured). */
async function openArticles(config: Config): Promise<ArticleStore> {
  if (config.database.kind === 'sqlite') {
    const { SqliteArticleStore } = await import('./articles/sqlite.ts');
    return new SqliteArticleStore(config.database.path);
  }
  const { PostgresArticleStore } = await import('./articles/postgres.ts');
  return new PostgresArticleStore(config.database.url);
}
