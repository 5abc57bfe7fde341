/**
 * What the four adapters share beyond translation: when a guard must read a
 * form body, and Django's APPEND_SLASH answer.
 */
import type { Gatehouse } from '../gatehouse.ts';
import { iriToUri } from '../http/iri-to-uri.ts';
import type { ApiResponse } from '../response.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * Whether a guard has to read the body: only an unsafe form POST without the
 * CSRF header may carry its token as the `csrfmiddlewaretoken` field. Every
 * other body is left unread for the application's own parser.
 */
export function needsFormBody(
  gh: Gatehouse,
  method: string | undefined,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): boolean {
  if (method === undefined || SAFE.has(method.toUpperCase())) return false;
  if (headers[gh.csrf.headerName] !== undefined) return false;
  const type = String(headers['content-type'] ?? '').toLowerCase();
  return type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
}

/**
 * Django's APPEND_SLASH: a path without its trailing slash whose slashed form
 * is a route answers 301 to it, whatever the method (as without DEBUG).
 */
export function slashRedirect(
  path: string,
  url: string,
  exists: (candidate: string) => boolean,
): ApiResponse | null {
  if (path.endsWith('/') || !exists(`${path}/`)) return null;
  return {
    status: 301,
    // The path as sent may hold characters a header cannot (Django's iri_to_uri; issue 8.6).
    headers: { location: iriToUri(`${path}/${url.slice(path.length)}`), 'content-length': '0' },
    cookies: [],
    text: '',
  };
}
