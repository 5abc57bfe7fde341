import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ParseError, PayloadTooLarge, UnsupportedMediaType } from '../errors.ts';
import { clientInfo } from '../http/client.ts';
import { endResponse } from '../http/end-response.ts';
import { toWire } from '../http/write.ts';
import { type AuthRequest, createAuthRequest } from '../request.ts';
import { type ApiResponse, toResponse } from '../response.ts';
import type { View } from '../view.ts';

const identity = (payload: unknown) => payload as string;

export interface FastifyAdapterOptions {
  /** Called on every answer the adapter makes itself (Fastify's own errors): CORS, security headers. */
  finalize?: (req: AuthRequest, res: ApiResponse) => void;
  /**
   * Write responses straight to node:http (one writeHead and end), skipping
   * Fastify's reply and its onSend hooks: faster, for apps that use no onSend hook.
   */
  direct?: boolean;
  trustProxy?: boolean;
  now?: () => number;
}

/** Builds the AuthRequest of a Fastify request (the body arrives raw: Gatehouse parses it, lazily, as DRF). */
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
  return createAuthRequest({
    method: request.method,
    url: request.raw.url ?? request.url,
    headers: request.headers,
    clientAddress,
    secure,
    rawBody: Buffer.isBuffer(request.body) ? request.body : null,
  });
}

export function sendFastifyReply(
  reply: FastifyReply,
  res: ApiResponse,
  options: FastifyAdapterOptions = {},
): FastifyReply {
  const wire = toWire(res, options.now?.() ?? Date.now(), reply.request.method);
  if (options.direct) {
    // Straight to node:http in one writeHead + end: no per-header work in Fastify's reply.
    reply.hijack();
    if (wire.body !== undefined) wire.headers['content-length'] = String(Buffer.byteLength(wire.body));
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

/**
 * Prepares a Fastify instance for Gatehouse: bodies are kept raw (parsed by
 * the core, after authentication, as DRF does), and Fastify's own errors
 * (body too large, bad framing) answer in DRF's shape.
 *
 * ```ts
 * const app = Fastify({ bodyLimit: 1_048_576 });
 * useGatehouse(app);
 * mountView(app, '/api/dashboard/', dashboardView);
 * ```
 */
export function useGatehouse(app: FastifyInstance, options: FastifyAdapterOptions = {}): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    // Fastify's own refusals (before any route runs) in DRF's shape; anything else is a bug → 500.
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
    const res = toResponse(mapped);
    res.headers['cache-control'] = 'no-store';
    options.finalize?.(fromFastifyRequest(request, options), res);
    return sendFastifyReply(reply, res, options);
  });
}

/** Serves a Gatehouse view at a path (Fastify syntax for parameters: `/api/articles/:id/`), every method. */
export function mountView(
  app: FastifyInstance,
  path: string,
  view: View,
  options: FastifyAdapterOptions = {},
): void {
  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'],
    url: path,
    exposeHeadRoute: false,
    handler: async (request, reply) => {
      const res = await view.handle(
        fromFastifyRequest(request, options),
        request.params as Record<string, string>,
      );
      return sendFastifyReply(reply, res, options);
    },
  });
}

/**
 * A preHandler that runs a Gatehouse check (pipeline) for ordinary Fastify
 * routes and puts the result on `request.gatehouse`:
 *
 * ```ts
 * app.get('/me', { preHandler: protect((req) => gh.check(req, { permissions: [IsAuthenticated] })) },
 *   (request) => ({ user: request.gatehouse.user?.username }));
 * ```
 */
export function protect<T>(check: (req: AuthRequest) => Promise<T>, options: FastifyAdapterOptions = {}) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      (request as FastifyRequest & { gatehouse: T }).gatehouse = await check(
        fromFastifyRequest(request, options),
      );
    } catch (error) {
      await sendFastifyReply(reply, toResponse(error), options);
    }
  };
}
