import type { ApiResponse } from '../response.ts';
import { responseBody } from '../response.ts';
import { serializeCookie } from './cookie.ts';

export interface WireResponse {
  status: number;
  /** Header name → value; `set-cookie` as a list. */
  headers: Record<string, string | string[]>;
  body: string | undefined;
}

/**
 * The bytes-level form of an ApiResponse that every adapter writes as is:
 * status, headers, `Set-Cookie` lines and the rendered body. `Vary: Cookie`
 * is added whenever a cookie is set, as Django does.
 */
export function toWire(res: ApiResponse, nowMs: number, method = 'GET'): WireResponse {
  const headers: Record<string, string | string[]> = { ...res.headers };
  const { body, contentType } = responseBody(res);
  if (contentType) headers['content-type'] = contentType;
  if (res.cookies.length > 0) {
    // One Set-Cookie per name, the last word winning (a stale session's deletion, then a login's new key).
    const last = new Map(res.cookies.map((c) => [c.name, c]));
    headers['set-cookie'] = [...last.values()].map((c) => serializeCookie(c, nowMs));
    headers.vary = addVary(headers.vary as string | undefined, 'Cookie');
    headers['cache-control'] ??= 'no-store';
  }
  return { status: res.status, headers, body: method === 'HEAD' ? undefined : body };
}

export function addVary(current: string | undefined, value: string): string {
  if (!current) return value;
  const parts = current.split(',').map((s) => s.trim().toLowerCase());
  return parts.includes(value.toLowerCase()) ? current : `${current}, ${value}`;
}
