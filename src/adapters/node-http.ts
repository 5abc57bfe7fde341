/**
 * `gatehouse-auth/node-http`: Gatehouse on a bare `node:http` server. The
 * same three functions as every adapter — `mount` serves the library's
 * endpoints, `serve` one view, `protect` guards a route of your own.
 *
 * ```ts
 * createServer(mount(gh.urls(), { fallback: myApp })).listen(8000);
 * ```
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { NotFound, PayloadTooLarge } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import { parseBody } from '../http/body.ts';
import { clientInfo } from '../http/client.ts';
import { endResponse } from '../http/end-response.ts';
import { routePattern } from '../http/route-pattern.ts';
import { toWire } from '../http/write.ts';
import type { Policy } from '../pipeline.ts';
import { type AuthRequest, createAuthRequest } from '../request.ts';
import { type ApiResponse, toResponse } from '../response.ts';
import type { Permission, RequestContext, UserOf } from '../types.ts';
import type { View } from '../view.ts';
import type { Route } from '../views/route.ts';
import { needsFormBody, slashRedirect } from './shared.ts';

export interface NodeAdapterOptions {
  /** Honour one proxy's `X-Forwarded-For` (rightmost) and `X-Forwarded-Proto`. Default false. */
  trustProxy?: boolean;
  /** Bytes; a larger body answers 413 before anything is parsed. Default 1 MiB. */
  bodyLimit?: number;
  /** The clock cookies' `Expires` are written with; default `Date.now`. */
  now?: () => number;
}

/** A node request as frameworks leave it: `body` is set when a body parser ran first. */
type NodeRequest = IncomingMessage & { body?: unknown; params?: Record<string, string> };

const DEFAULT_LIMIT = 1_048_576;

/**
 * Reads a node:http request into an AuthRequest. The body is read up to the
 * limit — unless `readBody` is false, or a body parser already consumed it,
 * in which case its result (`req.body`) is used.
 */
export async function fromNodeRequest(
  req: NodeRequest,
  options: NodeAdapterOptions & { readBody?: boolean } = {},
): Promise<AuthRequest> {
  const { clientAddress, secure } = clientInfo({
    peer: req.socket.remoteAddress,
    headers: req.headers,
    encrypted: Boolean((req.socket as TLSSocket).encrypted),
    trustProxy: options.trustProxy ?? false,
  });
  let rawBody: Buffer | null = null;
  let parsedBody: unknown;
  if (req.readableEnded || (req.body !== undefined && !req.readable)) {
    // A body parser got there first: take its reading (a Buffer or text is still raw bytes).
    if (Buffer.isBuffer(req.body)) rawBody = req.body;
    else if (typeof req.body === 'string') rawBody = Buffer.from(req.body);
    else parsedBody = req.body;
  } else if (options.readBody !== false && hasBody(req)) {
    rawBody = await readBody(req, options.bodyLimit ?? DEFAULT_LIMIT);
  }
  return createAuthRequest({
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: req.headers,
    clientAddress,
    secure,
    rawBody,
    parsedBody,
  });
}

/** HTTP/1.1 framing: a request without Content-Length or Transfer-Encoding has no body. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new PayloadTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new PayloadTooLarge();
    chunks.push(chunk as Buffer);
  }
  return size > 0 ? Buffer.concat(chunks) : null;
}

/**
 * Writes an ApiResponse to a node:http response. A write that fails (a header
 * value node refuses) still answers: 500 if nothing was sent, else the socket closes.
 */
export function writeNodeResponse(
  res: ServerResponse,
  response: ApiResponse,
  method: string,
  now = Date.now(),
): void {
  endResponse(res, toWire(response, now, method));
}

/** What a refused request gets: the error, finished by the Gatehouse (CORS, security headers). */
function refusal(gh: Gatehouse, req: AuthRequest | null, error: unknown): ApiResponse {
  const res = toResponse(error);
  if (req) gh.finish(req, res);
  return res;
}

/**
 * Serves one view as a connect-style handler (`req.params` from your router,
 * if any): `app.use('/api/things/', serve(view))`.
 */
export function serve(view: View, options: NodeAdapterOptions = {}) {
  return async (req: NodeRequest, res: ServerResponse, params?: Record<string, string>): Promise<void> => {
    let response: ApiResponse;
    try {
      response = await view.handle(await fromNodeRequest(req, options), params ?? req.params ?? {});
    } catch (error) {
      // Only reading the body can fail here: answer as the view would.
      response = view.fail(bareRequest(req, options), error);
      if (error instanceof PayloadTooLarge) res.setHeader('connection', 'close');
    }
    writeNodeResponse(res, response, req.method ?? 'GET', options.now?.() ?? Date.now());
  };
}

/** The request without its body, for answering an error raised while reading the body. */
function bareRequest(req: NodeRequest, options: NodeAdapterOptions): AuthRequest {
  const { clientAddress, secure } = clientInfo({
    peer: req.socket.remoteAddress,
    headers: req.headers,
    encrypted: Boolean((req.socket as TLSSocket).encrypted),
    trustProxy: options.trustProxy ?? false,
  });
  return createAuthRequest({
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: req.headers,
    clientAddress,
    secure,
  });
}

/**
 * Guards a route of your own: authentication, CSRF, permissions and
 * throttles run; the guard resolves to the request context (also left on
 * `req.gatehouse`, and `next()` is called when given, connect-style), or
 * answers the refusal itself and resolves to null. The body is left for your
 * handler unless the CSRF check needs a form's `csrfmiddlewaretoken`; then the
 * parsed fields are left on `req.body`.
 *
 * ```ts
 * const guard = protect(gh, { permissions: [IsAuthenticated] });
 * const ctx = await guard(req, res);
 * if (ctx) res.end(`hello ${ctx.user.username}`);
 * ```
 */
export function protect<const P extends readonly Permission[] = readonly Permission[]>(
  gh: Gatehouse,
  policy: Partial<Omit<Policy, 'permissions'>> & { permissions?: P } = {},
  options: NodeAdapterOptions = {},
) {
  return async (
    req: NodeRequest & { gatehouse?: RequestContext<UserOf<P>> },
    res: ServerResponse,
    next?: (error?: unknown) => void,
  ): Promise<RequestContext<UserOf<P>> | null> => {
    let authReq: AuthRequest | null = null;
    let ctx: RequestContext<UserOf<P>>;
    try {
      authReq = await fromNodeRequest(req, {
        ...options,
        readBody: needsFormBody(gh, req.method, req.headers),
      });
      if (authReq.rawBody && req.body === undefined) req.body = formFields(authReq);
      ctx = await gh.check(authReq, policy);
      req.gatehouse = ctx;
    } catch (error) {
      writeNodeResponse(res, refusal(gh, authReq, error), req.method ?? 'GET', options.now?.() ?? Date.now());
      return null;
    }
    next?.();
    return ctx;
  };
}

/** The fields of a form body Gatehouse had to read, handed on as a body parser would leave them. */
function formFields(req: AuthRequest): unknown {
  try {
    return parseBody(req, ['form', 'multipart']).data;
  } catch {
    return undefined;
  }
}

/**
 * Serves every route (from `gh.urls()`) on node:http, with Django's
 * APPEND_SLASH; anything else goes to `fallback` (default: DRF's 404).
 *
 * ```ts
 * createServer(mount(gh.urls(), { fallback: (req, res) => res.writeHead(404).end() })).listen(8000);
 * ```
 */
export function mount(
  routes: readonly Route[],
  options: NodeAdapterOptions & { fallback?: RequestListener } = {},
): RequestListener {
  const table = routes.map((route) => ({
    route,
    match: routePattern(route.path),
    handler: serve(route.view, options),
  }));
  // Paths without parameters are found in one look-up (the first route wins, as in the loop below).
  const fixed = new Map<string, (typeof table)[number]>();
  for (const entry of table.toReversed()) {
    const { path, slashOptional } = entry.route;
    if (path.includes(':')) continue;
    fixed.set(path, entry);
    if (slashOptional && path.endsWith('/')) fixed.set(path.slice(0, -1), entry);
  }
  const patterned = table.filter(({ route }) => route.path.includes(':'));
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const direct = fixed.get(path);
    if (direct) return void direct.handler(req, res, {});
    for (const { route, match, handler } of patterned) {
      const params = match(path) ?? (route.slashOptional && !path.endsWith('/') ? match(`${path}/`) : null);
      if (params) return void handler(req, res, params);
    }
    const redirect = slashRedirect(path, url, (candidate) => table.some((t) => t.match(candidate)));
    if (redirect) return writeNodeResponse(res, redirect, req.method ?? 'GET', options.now?.() ?? Date.now());
    if (options.fallback) return void options.fallback(req, res);
    writeNodeResponse(res, toResponse(new NotFound()), req.method ?? 'GET', options.now?.() ?? Date.now());
  };
}
