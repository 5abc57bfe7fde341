import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { PayloadTooLarge } from '../errors.ts';
import { clientInfo } from '../http/client.ts';
import { endResponse } from '../http/end-response.ts';
import { toWire } from '../http/write.ts';
import { type AuthRequest, createAuthRequest } from '../request.ts';
import { type ApiResponse, toResponse } from '../response.ts';

export interface NodeAdapterOptions {
  trustProxy?: boolean;
  /** Bytes; larger bodies answer 413 before anything is parsed. Default 1 MiB. */
  bodyLimit?: number;
  now?: () => number;
}

/** Reads a node:http request (body included, up to the limit) into an AuthRequest. */
export async function fromNodeRequest(
  req: IncomingMessage,
  options: NodeAdapterOptions = {},
): Promise<AuthRequest> {
  const limit = options.bodyLimit ?? 1_048_576;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new PayloadTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new PayloadTooLarge();
    chunks.push(chunk as Buffer);
  }
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
    rawBody: size > 0 ? Buffer.concat(chunks) : null,
  });
}

/** Writes an ApiResponse to a node:http response. */
export function writeNodeResponse(
  res: ServerResponse,
  response: ApiResponse,
  method: string,
  now = Date.now(),
): void {
  // A write that throws (an invalid header value) still answers: never a hanging socket (issue 8.6).
  endResponse(res, toWire(response, now, method));
}

/**
 * A node:http request listener serving a Gatehouse handler:
 *
 * ```ts
 * http.createServer(nodeHandler((req) => view.handle(req))).listen(8000);
 * ```
 */
export function nodeHandler(
  handle: (req: AuthRequest) => Promise<ApiResponse>,
  options: NodeAdapterOptions = {},
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let response: ApiResponse;
    try {
      response = await handle(await fromNodeRequest(req, options));
    } catch (error) {
      response = toResponse(error);
      if (error instanceof PayloadTooLarge) res.setHeader('connection', 'close');
    }
    writeNodeResponse(res, response, req.method ?? 'GET', options.now?.() ?? Date.now());
  };
}
