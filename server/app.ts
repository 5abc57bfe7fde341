import Fastify, { type FastifyInstance } from 'fastify';
import {
  type ApiResponse,
  type AuthRequest,
  Cors,
  type Gatehouse,
  iriToUri,
  NotFound,
  toResponse,
} from '#gatehouse';
import { fromFastifyRequest, sendFastifyReply, useGatehouse } from '#gatehouse/fastify';
import type { Config } from './config.ts';
import type { Route } from './route.ts';
import { browsableAuthRoutes } from './routes/browsable-auth.ts';
import { healthRoutes } from './routes/health.ts';
import { jwtRoutes } from './routes/jwt.ts';
import { resourceRoutes } from './routes/resources.ts';
import { sessionRoutes } from './routes/session.ts';
import { spaRoutes } from './routes/spa.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { securityHeaders, serveRoute } from './serve.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND'] as const;

/** Every route of CONTRACT.md, in one list. */
export function contractRoutes(gh: Gatehouse): Route[] {
  return [
    ...healthRoutes(gh),
    ...sessionRoutes(gh),
    ...tokenRoutes(gh),
    ...jwtRoutes(gh),
    ...resourceRoutes(gh),
    ...browsableAuthRoutes(gh),
  ];
}

/**
 * The reference server on Fastify, through the Gatehouse adapter: Fastify
 * routes and writes; every decision is the core's.
 */
export async function buildApp(gh: Gatehouse, config: Config): Promise<FastifyInstance> {
  const cors = new Cors({
    allowedOrigins: config.corsAllowedOrigins,
    allowCredentials: config.corsAllowCredentials,
  });
  const finalize = (req: AuthRequest, res: ApiResponse) => {
    cors.decorate(req, res);
    securityHeaders(res, { hsts: gh.secureCookies });
  };
  const adapter = { trustProxy: config.trustProxy, now: () => gh.clock.now(), direct: true, finalize };
  const app = Fastify({
    bodyLimit: 1_048_576,
    trustProxy: false,
    logger: false,
    return503OnClosing: true,
    // A URL Fastify cannot decode (`/api/articles/%ff/`) matches no route: Django's 404.
    frameworkErrors: (_error, request, reply) => {
      const res = toResponse(new NotFound());
      finalize(fromFastifyRequest(request, adapter), res);
      return sendFastifyReply(reply, res, adapter);
    },
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
  useGatehouse(app, adapter);
  const routes = [...contractRoutes(gh), ...spaRoutes()];
  // Route patterns as regular expressions, for APPEND_SLASH: `/api/articles/:id/` → ^/api/articles/[^/]+/$
  const patterns = routes.map(
    (r) => new RegExp(`^${r.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[a-z]+/g, '[^/]+')}$`),
  );

  for (const route of routes) {
    const serve = serveRoute(gh, cors, route);
    app.route({
      method: [...METHODS],
      url: route.path,
      exposeHeadRoute: false,
      handler: async (request, reply) => {
        const res = await serve(
          fromFastifyRequest(request, adapter),
          request.params as Record<string, string>,
        );
        return sendFastifyReply(reply, res, adapter);
      },
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const req = fromFastifyRequest(request, adapter);
    // Django's APPEND_SLASH: /api/me answers 301 to /api/me/ when that is a route (any method, as without DEBUG).
    if (!req.path.endsWith('/') && patterns.some((p) => p.test(`${req.path}/`))) {
      const res: ApiResponse = {
        status: 301,
        // iri_to_uri, as Django's get_full_path: never a character a header cannot carry.
        headers: { location: iriToUri(`${req.path}/${req.url.slice(req.path.length)}`) },
        cookies: [],
        text: '',
      };
      finalize(req, res);
      return sendFastifyReply(reply, res, adapter);
    }
    const res = cors.preflight(req) ?? toResponse(new NotFound());
    finalize(req, res);
    return sendFastifyReply(reply, res, adapter);
  });
  return app;
}
