import { ConfigurationError } from '../errors.ts';

/** One `Set-Cookie`, with the attributes Django emits. */
export interface SetCookie {
  name: string;
  value: string;
  /** Seconds; `0` deletes the cookie. Omitted: a browser-session cookie. */
  maxAge?: number;
  path?: string;
  domain?: string;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'Lax' | 'Strict' | 'None';
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/**
 * Serialises a cookie the way Django does (attributes in `SimpleCookie`'s
 * order: expires, HttpOnly, Max-Age, Path, SameSite, Secure). Throws on a name
 * or value that could split the header.
 *
 * ```ts
 * serializeCookie({ name: 'csrftoken', value: secret, maxAge: 31449600, path: '/', sameSite: 'Lax' }, now)
 * ```
 */
export function serializeCookie(cookie: SetCookie, nowMs: number): string {
  if (!TOKEN.test(cookie.name))
    throw new ConfigurationError(`invalid cookie name: ${JSON.stringify(cookie.name)}`);
  const deleting = cookie.maxAge === 0;
  if (!deleting && !VALUE.test(cookie.value)) throw new ConfigurationError('invalid cookie value');
  for (const attr of [cookie.path, cookie.domain]) {
    if (attr !== undefined && /[;\x00-\x1f\x7f]/.test(attr))
      throw new ConfigurationError('invalid cookie attribute');
  }
  const parts = [`${cookie.name}=${deleting ? '""' : cookie.value}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  if (cookie.maxAge !== undefined) {
    const expires = deleting ? new Date(0) : new Date(nowMs + cookie.maxAge * 1000);
    parts.push(`expires=${httpDate(expires)}`);
  }
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${cookie.maxAge}`);
  parts.push(`Path=${cookie.path ?? '/'}`);
  if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
  if (cookie.secure) parts.push('Secure');
  return parts.join('; ');
}

/** `Thu, 01 Jan 1970 00:00:00 GMT`: Python's `http_date`, which is also `toUTCString`. */
export function httpDate(date: Date): string {
  return date.toUTCString();
}
