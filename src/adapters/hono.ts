import type { Context, MiddlewareHandler } from 'hono';
import { PayloadTooLarge } from '../errors.ts';
import { clientInfo } from '../http/client.ts';
import { toWire } from '../http/write.ts';
import { type AuthRequest, createAuthRequest } from '../request.ts';
import { type ApiResponse, toResponse } from '../response.ts';
import type { RequestContext } from '../types.ts';
import type { View } from '../view.ts';

export interface HonoAdapterOptions {
  trustProxy?: boolean;
  bodyLimit?: number;
  now?: () => number;
  /** The peer address; on @hono/node-server pass `(c) => c.env.incoming.socket.remoteAddress`. */
  peer?: (c: Context) => string | undefined;
}

/** Builds the AuthRequest of a Hono (Fetch API) request. */
export async function fromHonoContext(c: Context, options: HonoAdapterOptions = {}): Promise<AuthRequest> {
  const raw = c.req.raw;
  const headers: Record<string, string> = {};
  raw.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = raw.body ? Buffer.from(await raw.arrayBuffer()) : null;
  if (body && body.length > (options.bodyLimit ?? 1_048_576)) throw new PayloadTooLarge();
  const url = new URL(raw.url);
  const { clientAddress, secure } = clientInfo({
    peer: options.peer?.(c),
    headers,
    encrypted: url.protocol === 'https:',
    trustProxy: options.trustProxy ?? false,
  });
  return createAuthRequest({
    method: raw.method,
    url: url.pathname + url.search,
    headers,
    clientAddress,
    secure,
    rawBody: body,
  });
}

/** An ApiResponse as a Fetch Response (several Set-Cookie lines kept apart). */
export function toFetchResponse(res: ApiResponse, method: string, now = Date.now()): Response {
  const wire = toWire(res, now, method);
  const headers = new Headers();
  for (const [name, value] of Object.entries(wire.headers)) {
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return new Response(wire.body ?? null, { status: wire.status, headers });
}

/**
 * Hono middleware running a Gatehouse check; the result is `c.get('gatehouse')`.
 *
 * ```ts
 * app.get('/me', protect((req) => gh.check(req, { permissions: [IsAuthenticated] })), (c) =>
 *   c.json({ user: c.get('gatehouse').user?.username }));
 * ```
 */
export function protect(
  check: (req: AuthRequest) => Promise<RequestContext>,
  options: HonoAdapterOptions = {},
): MiddlewareHandler {
  return async (c, next) => {
    try {
      c.set('gatehouse' as never, (await check(await fromHonoContext(c, options))) as never);
    } catch (error) {
      return toFetchResponse(toResponse(error), c.req.method, options.now?.());
    }
    await next();
  };
}

/** Serves a Gatehouse view as a Hono handler: `app.all('/api/articles/:id/', serve(view))`. */
export function serve(view: View, options: HonoAdapterOptions = {}) {
  return async (c: Context): Promise<Response> => {
    let res: ApiResponse;
    try {
      res = await view.handle(await fromHonoContext(c, options), c.req.param() as Record<string, string>);
    } catch (error) {
      res = toResponse(error);
    }
    return toFetchResponse(res, c.req.method, options.now?.());
  };
}
