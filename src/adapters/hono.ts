/**
 * `gatehouse-auth/hono`: Gatehouse in a Hono app (on @hono/node-server, Bun
 * or Deno). `mount` serves the library's endpoints, `serve` one view,
 * `protect` is middleware for routes of your own that sets `c.get('gatehouse')`.
 *
 * ```ts
 * const app = new Hono<{ Variables: GatehouseVariables }>();
 * mount(app, gh.urls());
 * app.get('/api/me/notes/', protect(gh, { permissions: [IsAuthenticated] }), (c) =>
 *   c.json(notesOf(c.get('gatehouse').user.id)));
 * ```
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { ConfigurationError, NotFound, PayloadTooLarge } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import { clientInfo } from '../http/client.ts';
import { routePattern } from '../http/route-pattern.ts';
import { toWire } from '../http/write.ts';
import type { Policy } from '../pipeline.ts';
import { type AuthRequest, createAuthRequest } from '../request.ts';
import { type ApiResponse, toResponse } from '../response.ts';
import type { Permission, RequestContext, UserOf } from '../types.ts';
import type { View } from '../view.ts';
import type { Route } from '../views/route.ts';
import { needsFormBody, slashRedirect } from './shared.ts';

export interface HonoAdapterOptions {
  /** Honour one proxy's `X-Forwarded-For` (rightmost) and `X-Forwarded-Proto`. Default false. */
  trustProxy?: boolean;
  /** Bytes; a larger body answers 413 without being read past the limit. Default 1 MiB. */
  bodyLimit?: number;
  now?: () => number;
  /**
   * The client's address. By default it is found where each runtime puts it
   * (@hono/node-server's socket, Bun's `requestIP`, Deno's `remoteAddr`);
   * a request whose address cannot be found is refused (500) rather than
   * sharing one throttle bucket with every other client.
   */
  peer?: (c: Context) => string | undefined;
}

/** The variables `protect` sets: `new Hono<{ Variables: GatehouseVariables }>()`. */
export type GatehouseVariables<U extends RequestContext['user'] = RequestContext['user']> = {
  gatehouse: RequestContext<U>;
};

interface RuntimeEnv {
  incoming?: {
    method?: string;
    url?: string;
    headers?: Record<string, string | string[] | undefined>;
    socket?: { remoteAddress?: string; encrypted?: boolean };
  };
  remoteAddr?: { hostname?: string };
  requestIP?: (request: Request) => { address?: string } | null;
}

/** Where each runtime keeps the peer address. */
function runtimePeer(c: Context): string | undefined {
  const env = c.env as RuntimeEnv | undefined;
  if (!env || typeof env !== 'object') return undefined;
  return (
    env.incoming?.socket?.remoteAddress ??
    env.remoteAddr?.hostname ??
    (typeof env.requestIP === 'function' ? (env.requestIP(c.req.raw)?.address ?? undefined) : undefined)
  );
}

/**
 * Builds the AuthRequest of a Hono request. The body is read (up to the
 * limit) into Hono's own body cache, so `c.req.json()` still works after.
 * `readBody` may decide from the request's method and headers, once read.
 */
export async function fromHonoContext(
  c: Context,
  options: HonoAdapterOptions & {
    readBody?:
      | boolean
      | ((method: string, headers: Record<string, string | string[] | undefined>) => boolean);
  } = {},
): Promise<AuthRequest> {
  const peer = options.peer ? options.peer(c) : runtimePeer(c);
  if (!peer) {
    throw new ConfigurationError(
      'gatehouse-auth/hono: cannot find the client address; pass { peer: (c) => … } to the adapter',
    );
  }
  // On @hono/node-server the node request is at hand: its headers and path are read as they are,
  // without building a Fetch Request (which a GET without a body never needs).
  const incoming = (c.env as RuntimeEnv | undefined)?.incoming;
  let method: string;
  let url: string;
  let headers: Record<string, string | string[] | undefined>;
  let encrypted: boolean;
  let bodyPresent: boolean;
  if (incoming?.headers && typeof incoming.url === 'string' && typeof incoming.method === 'string') {
    method = incoming.method;
    url = incoming.url;
    headers = incoming.headers;
    encrypted = Boolean(incoming.socket?.encrypted);
    bodyPresent = hasBody(method, headers);
  } else {
    const raw = c.req.raw;
    const fetched: Record<string, string> = {};
    raw.headers.forEach((value, name) => {
      fetched[name] = value;
    });
    const parsed = new URL(raw.url);
    method = raw.method;
    url = parsed.pathname + parsed.search;
    headers = fetched;
    encrypted = parsed.protocol === 'https:';
    bodyPresent = raw.body !== null;
  }
  const { clientAddress, secure } = clientInfo({
    peer,
    headers,
    encrypted,
    trustProxy: options.trustProxy ?? false,
  });
  const wanted =
    typeof options.readBody === 'function' ? options.readBody(method, headers) : options.readBody;
  const rawBody = wanted === false || !bodyPresent ? null : await readBody(c, options.bodyLimit ?? 1_048_576);
  return createAuthRequest({ method, url, headers, clientAddress, secure, rawBody });
}

/** HTTP/1.1 framing: GET and HEAD, and a request without Content-Length or Transfer-Encoding, have no body. */
function hasBody(method: string, headers: Record<string, string | string[] | undefined>): boolean {
  if (method === 'GET' || method === 'HEAD') return false;
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

type BodyCache = Record<string, Promise<unknown> | undefined>;

async function readBody(c: Context, limit: number): Promise<Buffer | null> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > limit) throw new PayloadTooLarge();
  const cache = (c.req as unknown as { bodyCache: BodyCache }).bodyCache;
  if (Object.keys(cache).length > 0) {
    // Another middleware read it already: Hono converts its cached reading.
    const buffer = Buffer.from(await c.req.arrayBuffer());
    if (buffer.length > limit) throw new PayloadTooLarge();
    return buffer.length > 0 ? buffer : null;
  }
  const reader = (c.req.raw.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PayloadTooLarge();
    }
    chunks.push(value);
  }
  const buffer = Buffer.concat(chunks);
  // Leave the bytes where Hono's c.req.json()/text()/parseBody() look first.
  const copy = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  cache.arrayBuffer = Promise.resolve(copy);
  return size > 0 ? buffer : null;
}

/** An ApiResponse as a Fetch Response (several Set-Cookie lines kept apart). */
export function toFetchResponse(res: ApiResponse, method: string, now = Date.now()): Response {
  const wire = toWire(res, now, method);
  const cookies = wire.headers['set-cookie'];
  if (!Array.isArray(cookies)) {
    // One value per header: a plain object, which @hono/node-server writes without a Headers round trip.
    return new Response(wire.body ?? null, {
      status: wire.status,
      headers: wire.headers as Record<string, string>,
    });
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(wire.headers)) {
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return new Response(wire.body ?? null, { status: wire.status, headers });
}

/** The request without its body, for answering an error raised before the view ran. */
function bareRequest(c: Context, options: HonoAdapterOptions): AuthRequest | null {
  try {
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const url = new URL(c.req.raw.url);
    const peer = (options.peer ? options.peer(c) : runtimePeer(c)) ?? '';
    return createAuthRequest({
      method: c.req.method,
      url: url.pathname + url.search,
      headers,
      clientAddress: peer,
    });
  } catch {
    return null;
  }
}

/** Serves one view as a Hono handler: `app.all('/api/things/:id/', serve(view))`. */
export function serve(view: View, options: HonoAdapterOptions = {}) {
  return async (c: Context): Promise<Response> => {
    let res: ApiResponse;
    try {
      res = await view.handle(await fromHonoContext(c, options), c.req.param() as Record<string, string>);
    } catch (error) {
      if (error instanceof ConfigurationError) console.error(`gatehouse: ${error.message}`);
      const req = bareRequest(c, options);
      res = req ? view.fail(req, error) : toResponse(error);
      // The rest of the body was never read: the connection cannot carry another request.
      if (error instanceof PayloadTooLarge) res.headers.connection = 'close';
    }
    return toFetchResponse(res, c.req.method, options.now?.());
  };
}

/**
 * Middleware guarding a route of your own: authentication, CSRF, permissions
 * and throttles run; the context is `c.get('gatehouse')` (its user typed
 * `User` when the permissions require one), or the refusal is answered. The
 * body stays readable by `c.req.json()` and the like.
 *
 * ```ts
 * app.post('/api/notes/', protect(gh, { permissions: [IsAuthenticated] }), async (c) =>
 *   c.json({ by: c.get('gatehouse').user.username, text: (await c.req.json()).text }, 201));
 * ```
 */
export function protect<const P extends readonly Permission[] = readonly Permission[]>(
  gh: Gatehouse,
  policy: Partial<Omit<Policy, 'permissions'>> & { permissions?: P } = {},
  options: HonoAdapterOptions = {},
): MiddlewareHandler<{ Variables: GatehouseVariables<UserOf<P>> }> {
  return async (c, next) => {
    let req: AuthRequest | null = null;
    try {
      // Whether a form body is needed is decided on the headers fromHonoContext reads anyway (on
      // @hono/node-server, the node request's: no Fetch Request is built for a guard either).
      req = await fromHonoContext(c, {
        ...options,
        readBody: (method, headers) => needsFormBody(gh, method, headers),
      });
      c.set('gatehouse', (await gh.check(req, policy)) as RequestContext<UserOf<P>>);
    } catch (error) {
      if (error instanceof ConfigurationError) console.error(`gatehouse: ${error.message}`);
      const res = toResponse(error);
      if (req) gh.finish(req, res);
      if (error instanceof PayloadTooLarge) res.headers.connection = 'close';
      return toFetchResponse(res, c.req.method, options.now?.());
    }
    await next();
  };
}

/**
 * Serves every route of `gh.urls()` in one call, with Django's APPEND_SLASH
 * (`/api/login` answers 301 to `/api/login/`).
 *
 * ```ts
 * mount(app, gh.urls());
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: any Hono app, whatever its Env and schema
export function mount<A extends Hono<any, any, any>>(
  app: A,
  routes: readonly Route[],
  options: HonoAdapterOptions = {},
): A {
  const patterns = routes.map((r) => routePattern(r.path));
  const exists = (candidate: string) => patterns.some((match) => match(candidate));
  for (const route of routes) {
    const handler = serve(route.view, options);
    app.all(route.path, handler);
    if (route.path.endsWith('/') && route.path !== '/') {
      const bare = route.path.slice(0, -1);
      if (route.slashOptional) app.all(bare, handler);
      else
        app.all(bare, (c: Context) => {
          const url = new URL(c.req.raw.url);
          const res =
            slashRedirect(url.pathname, url.pathname + url.search, exists) ?? toResponse(new NotFound());
          return toFetchResponse(res, c.req.method, options.now?.());
        });
    }
  }
  return app;
}
