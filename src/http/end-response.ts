import type { ServerResponse } from 'node:http';
import type { WireResponse } from './write.ts';

const SERVER_ERROR = '{"detail":"A server error occurred."}';

/**
 * Writes a wire response to node:http in one `writeHead` and `end`. A write
 * that throws (node refuses a header value with a character above U+00FF or a
 * line break, ERR_INVALID_CHAR) still answers: 500
 * `{"detail":"A server error occurred."}` with `Connection: close` when no
 * byte went out, or the socket is destroyed when the head already did. A
 * request is never left hanging with its socket open (issue 8.6).
 *
 * ```ts
 * endResponse(res, toWire(apiResponse, Date.now(), req.method));
 * ```
 */
export function endResponse(res: ServerResponse, wire: WireResponse): void {
  try {
    // The length up front: node then sends head and body in one write, not chunked in several.
    if (wire.body !== undefined && wire.headers['content-length'] === undefined)
      wire.headers['content-length'] = String(Buffer.byteLength(wire.body));
    res.writeHead(wire.status, wire.headers);
    res.end(wire.body);
  } catch {
    answerServerError(res);
  }
}

function answerServerError(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  try {
    // Headers set before the failure (a session cookie of a login, say) must not go out with the 500.
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    res.writeHead(500, {
      'content-type': 'application/json',
      'content-length': String(SERVER_ERROR.length),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // The response object failed half-way: the connection is not reused.
      connection: 'close',
    });
    res.end(SERVER_ERROR);
  } catch {
    res.destroy();
  }
}
