import Fastify, { type FastifyInstance } from 'fastify';
import { Cors, type Gatehouse, NotFound, toResponse } from '#gatehouse';
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
  const app = Fastify({ bodyLimit: 1_048_576, trustProxy: false, logger: false, return503OnClosing: true });
  const adapter = { trustProxy: config.trustProxy, now: () => gh.clock.now(), direct: true };
  // Any other method on a known path answers 405 with Allow (HDR-03), as Django's View does.
  app.addHttpMethod('PROPFIND', { hasBody: true });
  useGatehouse(app, adapter);
  const cors = new Cors({
    allowedOrigins: config.corsAllowedOrigins,
    allowCredentials: config.corsAllowCredentials,
  });
  const routes = [...contractRoutes(gh), ...spaRoutes()];
  const paths = new Set(routes.map((r) => r.path));

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
    // Django's APPEND_SLASH: a GET of /api/me answers 301 to /api/me/ when that exists.
    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      !req.path.endsWith('/') &&
      paths.has(`${req.path}/`)
    ) {
      const query = req.url.slice(req.path.length);
      return sendFastifyReply(
        reply,
        { status: 301, headers: { location: `${req.path}/${query}` }, cookies: [], text: '' },
        adapter,
      );
    }
    const res = cors.preflight(req) ?? toResponse(new NotFound());
    cors.decorate(req, res);
    securityHeaders(res, { hsts: gh.secureCookies });
    return sendFastifyReply(reply, res, adapter);
  });
  return app;
}
