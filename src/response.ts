import { ApiError, EmailUnavailableError, ServiceUnavailable, StoreUnavailableError } from './errors.ts';
import type { SetCookie } from './http/cookie.ts';

/**
 * What a view answers, before an adapter writes it: status, headers (lower-case
 * names), cookies, and either a JSON value or a ready body (HTML).
 */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  cookies: SetCookie[];
  /** A JSON value, rendered compactly as DRF's JSONRenderer does. `undefined`: no body. */
  data?: unknown;
  /** A body that is already text (HTML pages); wins over `data`. */
  text?: string;
}

export function jsonResponse(
  status: number,
  data?: unknown,
  headers: Record<string, string> = {},
): ApiResponse {
  return { status, headers, cookies: [], data };
}

/** DRF's JSON: no whitespace, insertion order, raw UTF-8, `application/json` without charset. */
export function renderJson(data: unknown): string {
  // Python's json escapes the two line separators JavaScript leaves raw.
  return JSON.stringify(data)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Any thrown value → DRF's error response. ApiErrors keep their status, body
 * and headers; a store or mail-server outage becomes 503; anything else is a
 * programmer error and becomes a bare 500 without internals.
 */
export function toResponse(error: unknown): ApiResponse {
  if (error instanceof StoreUnavailableError || error instanceof EmailUnavailableError)
    error = new ServiceUnavailable();
  if (error instanceof ApiError) {
    return { status: error.status, headers: { ...error.headers }, cookies: [], data: error.body };
  }
  return { status: 500, headers: {}, cookies: [], data: { detail: 'A server error occurred.' } };
}

/** Body bytes and content type of a response, for adapters. */
export function responseBody(res: ApiResponse): {
  body: string | undefined;
  contentType: string | undefined;
} {
  if (res.text !== undefined) return { body: res.text, contentType: res.headers['content-type'] };
  if (res.data === undefined || res.status === 204 || res.status === 304)
    return { body: undefined, contentType: undefined };
  return { body: renderJson(res.data), contentType: 'application/json' };
}
