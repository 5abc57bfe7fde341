/**
 * `gatehouse-auth/fastify`: Gatehouse in a Fastify 5 app. `mount` serves the
 * library's endpoints in an encapsulated plugin (the rest of your app keeps
 * its content-type parsers), `serve` one view, `protect` is a preHandler for
 * routes of your own that puts the request context on `request.gatehouse`.
 *
 * ```ts
 * await mount(app, gh.urls());
 * app.post('/api/notes/', { preHandler: protect(gh, { permissions: [IsAuthenticated] }) }, async (request) =>
 *   ({ by: request.gatehouse.user.username }));
 * ```
 */
import type { TLSSocket } from 'node:tls';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
} from 'fastify';
import { NotFound, ParseError, PayloadTooLarge, UnsupportedMediaType } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import { clientInfo } from '../http/client.ts';
import { endResponse } from '../http/end-response.ts';
import { toWire } from '../http/write.ts';
import type { Policy } from '../pipeline.ts';
import { type AuthRequest, createAuthRequest } from '../request.ts';
import { type ApiResponse, toResponse } from '../response.ts';
import type { Permission, RequestContext, UserOf } from '../types.ts';
import type { View } from '../view.ts';
import type { Route } from '../views/route.ts';
import { slashRedirect } from './shared.ts';

export interface FastifyAdapterOptions {
  /** Honour one proxy's `X-Forwarded-For` (rightmost) and `X-Forwarded-Proto`. Default false. */
  trustProxy?: boolean;
  /** Bytes; a larger body answers 413. Default 1 MiB. */
  bodyLimit?: number;
  /**
   * Write answers straight to node:http (one writeHead and end), skipping
   * Fastify's reply and its onSend hooks: faster, for apps with no onSend hook.
   */
  direct?: boolean;
  now?: () => number;
}

/** The route config `protect` types, carrying the context type to the handler's `request.gatehouse`. */
export interface GatehouseRouteConfig<U extends RequestContext['user'] = RequestContext['user']> {
  gatehouse: RequestContext<U>;
}

declare module 'fastify' {
  interface FastifyRequest<
    RouteGeneric,
    RawServer,
    RawRequest,
    SchemaCompiler,
    TypeProvider,
    ContextConfig,
    Logger,
    RequestType,
  > {
    /**
     * The Gatehouse request context on a route behind `protect(…)`: the user
     * is typed `User` when the guard's permissions require one.
     */
    gatehouse: ContextConfig extends { gatehouse: infer C } ? C : RequestContext | undefined;
  }
}

/** Builds the AuthRequest of a Fastify request: raw bytes when Gatehouse parses, else the app's parsed body. */
export function fromFastifyRequest(
  request: FastifyRequest,
  options: FastifyAdapterOptions = {},
): AuthRequest {
  const { clientAddress, secure } = clientInfo({
    peer: request.raw.socket.remoteAddress,
    headers: request.headers,
    encrypted: Boolean((request.raw.socket as TLSSocket).encrypted),
    trustProxy: options.trustProxy ?? false,
  });
  const body: unknown = request.body;
  return createAuthRequest({
    method: request.method,
    url: request.raw.url ?? request.url,
    headers: request.headers,
    clientAddress,
    secure,
    rawBody: Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : null,
    parsedBody: Buffer.isBuffer(body) || typeof body === 'string' ? undefined : (body ?? undefined),
  });
}

const identity = (payload: unknown) => payload as string;

/** Writes an ApiResponse through a Fastify reply (or, with `direct`, straight to node:http). */
export function sendFastifyReply(
  reply: FastifyReply,
  res: ApiResponse,
  options: FastifyAdapterOptions = {},
): FastifyReply {
  const wire = toWire(res, options.now?.() ?? Date.now(), reply.request.method);
  if (options.direct) {
    reply.hijack();
    // After hijack() Fastify no longer answers for us: a write that throws must still answer (issue 8.6).
    endResponse(reply.raw, wire);
    return reply;
  }
  reply.code(wire.status).headers(wire.headers);
  // An identity serializer: Fastify then sends our text as is and adds no
  // charset (DRF sends a bare `application/json`), in one write with the headers.
  if (wire.body === undefined) return reply.send();
  return reply.serializer(identity).send(wire.body);
}

/** Serves one view as a Fastify route handler: `app.all('/api/things/:id/', serve(view))`. */
export function serve(view: View, options: FastifyAdapterOptions = {}) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const res = await view.handle(
      fromFastifyRequest(request, options),
      request.params as Record<string, string>,
    );
    return sendFastifyReply(reply, res, options);
  };
}

/**
 * A preHandler guarding a route of your own: authentication, CSRF,
 * permissions and throttles run on the request your parsers already read;
 * the context lands on `request.gatehouse`, or the refusal is answered.
 *
 * ```ts
 * app.get('/api/me/notes/', { preHandler: protect(gh, { permissions: [IsAuthenticated] }) },
 *   async (request) => notesOf(request.gatehouse.user.id));
 * ```
 */
export function protect<const P extends readonly Permission[] = readonly Permission[]>(
  gh: Gatehouse,
  policy: Partial<Omit<Policy, 'permissions'>> & { permissions?: P } = {},
  options: FastifyAdapterOptions = {},
): preHandlerAsyncHookHandler<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  GatehouseRouteConfig<UserOf<P>>
> {
  return async (request, reply) => {
    const req = fromFastifyRequest(request as FastifyRequest, options);
    try {
      (request as { gatehouse?: unknown }).gatehouse = await gh.check(req, policy);
    } catch (error) {
      const res = toResponse(error);
      gh.finish(req, res);
      await sendFastifyReply(reply as FastifyReply, res, options);
    }
  };
}

/**
 * Serves every route of `gh.urls()` in one call, as an encapsulated plugin:
 * inside it bodies stay raw for Gatehouse to parse after authentication (as
 * DRF does), outside it your content-type parsers are untouched. Paths
 * without their trailing slash answer Django's APPEND_SLASH 301.
 *
 * ```ts
 * await mount(app, gh.urls());
 * ```
 */
export function mount(
  app: FastifyInstance,
  routes: readonly Route[],
  options: FastifyAdapterOptions = {},
): PromiseLike<unknown> {
  const bodyLimit = options.bodyLimit ?? 1_048_576;
  return app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((error: { statusCode?: number }, request, reply) => {
      // Fastify's own refusals (body too large, bad framing) in DRF's shape, finished by the route's view.
      const view = (request.routeOptions.config as { gatehouseView?: View }).gatehouseView;
      const status = error.statusCode ?? 500;
      const type = request.headers['content-type'] ?? '';
      const mapped =
        status === 413
          ? new PayloadTooLarge()
          : status === 415
            ? new UnsupportedMediaType(type)
            : status >= 400 && status < 500
              ? new ParseError()
              : error;
      const req = fromFastifyRequest(request, options);
      const res = view ? view.fail(req, mapped) : toResponse(mapped);
      res.headers['cache-control'] = 'no-store';
      return sendFastifyReply(reply, res, options);
    });
    const exists = (candidate: string) => routes.some((r) => matches(r.path, candidate));
    // Every method Fastify knows (a view answers 405 with Allow to the ones it lacks, as Django's View).
    const methods = scope.supportedMethods;
    for (const route of routes) {
      const handler = serve(route.view, options);
      const paths = route.slashOptional ? [route.path, route.path.replace(/\/$/, '')] : [route.path];
      for (const url of paths) {
        scope.route({
          method: methods,
          url,
          exposeHeadRoute: false,
          config: { gatehouseView: route.view },
          handler,
        });
      }
      if (!route.slashOptional && route.path.endsWith('/') && route.path !== '/') {
        // Django's APPEND_SLASH for the slashless form, whatever the method.
        scope.route({
          method: methods,
          url: route.path.slice(0, -1),
          exposeHeadRoute: false,
          handler: async (request, reply) => {
            const url = request.raw.url ?? request.url;
            const q = url.indexOf('?');
            const path = q === -1 ? url : url.slice(0, q);
            const res = slashRedirect(path, url, exists);
            return sendFastifyReply(reply, res ?? toResponse(new NotFound()), options);
          },
        });
      }
    }
  });
}

function matches(pattern: string, path: string): boolean {
  const a = pattern.split('/');
  const b = path.split('/');
  return a.length === b.length && a.every((part, i) => (part.startsWith(':') ? b[i] !== '' : part === b[i]));
}
