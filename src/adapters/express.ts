/**
 * `gatehouse-auth/express`: Gatehouse in an Express 4 or 5 app. `mount`
 * serves the library's endpoints, `serve` one view, `protect` guards a route
 * of your own and puts the request context on `req.gatehouse`.
 *
 * ```ts
 * mount(app, gh.urls());
 * app.post('/api/notes/', protect(gh, { permissions: [IsAuthenticated] }), express.json(), (req, res) =>
 *   res.status(201).json({ by: req.gatehouse.user.username, text: req.body.text }));
 * ```
 */
import { type Express, type RequestHandler, Router } from 'express';
import type { Gatehouse } from '../gatehouse.ts';
import { parseBody } from '../http/body.ts';
import { routePattern } from '../http/route-pattern.ts';
import type { Policy } from '../pipeline.ts';
import type { AuthRequest } from '../request.ts';
import { toResponse } from '../response.ts';
import type { Permission, RequestContext, UserOf } from '../types.ts';
import type { View } from '../view.ts';
import type { Route } from '../views/route.ts';
import {
  fromNodeRequest,
  type NodeAdapterOptions,
  serve as serveNode,
  writeNodeResponse,
} from './node-http.ts';
import { needsFormBody, slashRedirect } from './shared.ts';

/** What `protect` leaves in `res.locals`, which also types `req.gatehouse` on that route. */
export interface GatehouseLocals<U extends RequestContext['user'] = RequestContext['user']> {
  gatehouse: RequestContext<U>;
}

declare module 'express-serve-static-core' {
  // biome-ignore lint/suspicious/noExplicitAny: must repeat Express's own declaration exactly
  interface Request<P, ResBody, ReqBody, ReqQuery, LocalsObj extends Record<string, any>> {
    /**
     * The Gatehouse request context on a route behind `protect(…)`: the user
     * is typed `User` when the guard's permissions require one.
     */
    gatehouse: LocalsObj extends { gatehouse: infer C } ? C : RequestContext | undefined;
  }
}

export type ExpressAdapterOptions = NodeAdapterOptions;

/** Serves one view as an Express handler: `app.all('/api/things/:id/', serve(view))`. */
export function serve(view: View, options: ExpressAdapterOptions = {}): RequestHandler {
  const handler = serveNode(view, options);
  return (req, res) =>
    void handler(req as Parameters<typeof handler>[0], res, req.params as Record<string, string>);
}

/**
 * Guards a route of your own. Authentication, CSRF, permissions and throttles
 * run; the context lands on `req.gatehouse` (and `res.locals.gatehouse`), or
 * the refusal is answered in DRF's shape. The body is never consumed for the
 * next handler: `express.json()` works before or after the guard (a form
 * whose `csrfmiddlewaretoken` the guard had to read arrives parsed in `req.body`).
 *
 * ```ts
 * app.get('/api/me/notes/', protect(gh, { permissions: [IsAuthenticated] }), (req, res) =>
 *   res.json(notesOf(req.gatehouse.user.id)));
 * ```
 */
export function protect<const P extends readonly Permission[] = readonly Permission[]>(
  gh: Gatehouse,
  policy: Partial<Omit<Policy, 'permissions'>> & { permissions?: P } = {},
  options: ExpressAdapterOptions = {},
): RequestHandler<
  Record<string, string>,
  unknown,
  unknown,
  Record<string, unknown>,
  GatehouseLocals<UserOf<P>>
> {
  return async (req, res, next) => {
    let authReq: AuthRequest | null = null;
    try {
      authReq = await fromNodeRequest(req, {
        ...options,
        readBody: needsFormBody(gh, req.method, req.headers),
      });
      if (authReq.rawBody && req.body === undefined) req.body = formFields(authReq);
      const ctx = await gh.check(authReq, policy);
      res.locals.gatehouse = ctx;
      (req as { gatehouse?: unknown }).gatehouse = ctx;
    } catch (error) {
      const refused = toResponse(error);
      if (authReq) gh.finish(authReq, refused);
      writeNodeResponse(res, refused, req.method, options.now?.() ?? Date.now());
      return;
    }
    next();
  };
}

function formFields(req: AuthRequest): unknown {
  try {
    return parseBody(req, ['form', 'multipart']).data;
  } catch {
    return undefined;
  }
}

/**
 * Serves every route of `gh.urls()` in one call, on a strict router (so
 * `/api/login` answers Django's APPEND_SLASH 301 to `/api/login/`). Mount it
 * before or after your body parsers: either way each view reads its body.
 *
 * ```ts
 * mount(app, gh.urls());
 * mount(app, gh.urls({ include: ['jwt'], prefix: '/v1' }));
 * ```
 */
export function mount(
  app: Express | Router,
  routes: readonly Route[],
  options: ExpressAdapterOptions = {},
): Router {
  const router = Router({ strict: true });
  const patterns = routes.map((r) => routePattern(r.path));
  for (const route of routes) {
    const handler = serve(route.view, options);
    router.all(route.path, handler);
    if (route.slashOptional) router.all(route.path.replace(/\/$/, ''), handler);
  }
  router.use((req, res, next) => {
    const redirect = slashRedirect(req.path, req.url, (candidate) =>
      patterns.some((match) => match(candidate)),
    );
    if (!redirect) return next();
    writeNodeResponse(res, redirect, req.method, options.now?.() ?? Date.now());
  });
  app.use(router);
  return router;
}
