/**
 * AuthRequest: the framework-neutral view of one HTTP request. Adapters build
 * it; the pipeline, authenticators, CSRF and throttles read it. It is never
 * mutated after construction.
 *
 * ```ts
 * const req = createAuthRequest({ method: 'GET', url: '/api/me/', headers, clientAddress: '127.0.0.1' });
 * ```
 */

export type HeaderValue = string | string[] | undefined;
export type Headers = Readonly<Record<string, HeaderValue>>;

export interface AuthRequest {
  /** Upper-case method, e.g. `POST`. */
  readonly method: string;
  /** Path and query as sent, e.g. `/api/login/?next=/x`. */
  readonly url: string;
  /** The path alone, e.g. `/api/login/`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case, as node:http gives them. */
  readonly headers: Headers;
  /** Every value of every cookie, so duplicates can be detected. */
  readonly cookies: ReadonlyMap<string, readonly string[]>;
  /** The socket's peer address, or the proxy-given one when the deployment trusts its proxy. */
  readonly clientAddress: string;
  /** HTTPS, directly or through a trusted proxy. */
  readonly secure: boolean;
  /** The raw body, when the adapter read one (at most the configured limit). */
  readonly rawBody: Buffer | null;
  /**
   * A body the framework had already parsed before Gatehouse saw the request
   * (`express.json()`, Fastify's parsers): used as is, in place of `rawBody`.
   * `undefined` when there was none.
   */
  readonly parsedBody: unknown;
}

export interface AuthRequestInit {
  method: string;
  url: string;
  headers: Headers;
  clientAddress: string;
  secure?: boolean;
  rawBody?: Buffer | null;
  parsedBody?: unknown;
}

export function createAuthRequest(init: AuthRequestInit): AuthRequest {
  const url = init.url || '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return Object.freeze({
    method: init.method.toUpperCase(),
    url,
    path,
    query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
    headers: init.headers,
    cookies: parseCookies(init.headers.cookie),
    clientAddress: init.clientAddress,
    secure: init.secure ?? false,
    rawBody: init.rawBody ?? null,
    parsedBody: init.parsedBody,
  });
}

/** The first value of a header, or undefined. Several values of one header are joined by node with `, `. */
export function header(req: AuthRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** How many times a header was sent (node joins most repeated headers; `Authorization` it keeps once). */
export function headerValues(req: AuthRequest, name: string): string[] {
  const value = req.headers[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The one value of a cookie, or undefined when it is absent or sent more than
 * once: two `sessionid` values in one request are ambiguous and count as none.
 */
export function cookie(req: AuthRequest, name: string): string | undefined {
  const values = req.cookies.get(name);
  return values && values.length === 1 ? values[0] : undefined;
}

/**
 * Splits on `;` only, trims spaces, keeps names exactly as sent (no
 * URL-decoding, no case folding) and ignores nameless pairs.
 */
export function parseCookies(value: HeaderValue): Map<string, string[]> {
  const jar = new Map<string, string[]>();
  const text = Array.isArray(value) ? value.join('; ') : value;
  if (!text) return jar;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    if (!name) continue;
    let v = part.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    const list = jar.get(name);
    if (list) list.push(v);
    else jar.set(name, [v]);
  }
  return jar;
}

/** `Host` as sent, port included, the way Django's `get_host()` returns it. */
export function host(req: AuthRequest): string {
  return header(req, 'host') ?? '';
}

// RFC 6838: a type and a subtype name are at most 127 characters each.
const MAX_MEDIA_TYPE_LENGTH = 255;

/**
 * Media type of the body without parameters, lower-cased: `application/json`.
 * Anything but a plain `type/subtype` token (a tab, a list, junk) yields the
 * raw value, which no parser accepts: 415, never a lenient guess (fastify
 * CVE-2022-41919, CVE-2025-32442).
 */
export function mediaType(req: AuthRequest): string {
  const value = header(req, 'content-type') ?? '';
  // Index loops, not `/^ +| +$/`, which is O(n²) on an inner run of spaces (issue 8.1).
  let start = 0;
  let end = value.indexOf(';');
  if (end === -1) end = value.length;
  while (start < end && value.charCodeAt(start) === 0x20) start++;
  while (end > start && value.charCodeAt(end - 1) === 0x20) end--;
  // Cap before the pattern looks (STYLE 19).
  if (end - start > MAX_MEDIA_TYPE_LENGTH) return value;
  const type = value.slice(start, end).toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) ? type : value;
}
