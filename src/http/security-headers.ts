import type { ApiResponse } from '../response.ts';

/**
 * The response-header baseline (HDR-02): every answer says `nosniff`; pages
 * and the authentication endpoints (the `no-store` ones, which carry
 * credentials) also forbid framing and loading anything; HSTS when the
 * deployment says it is behind HTTPS. Plain JSON resources skip the two
 * framing headers: a browser never renders them, and every header costs on
 * the hot path.
 *
 * ```ts
 * securityHeaders(res, { hsts: true });
 * ```
 */
export function securityHeaders(res: ApiResponse, options: { hsts: boolean }): void {
  res.headers['x-content-type-options'] ??= 'nosniff';
  const html = res.headers['content-type']?.startsWith('text/html');
  if (html || res.headers['cache-control'] === 'no-store' || res.status >= 400) {
    res.headers['x-frame-options'] ??= 'DENY';
    res.headers['content-security-policy'] ??= html
      ? "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
      : "default-src 'none'; frame-ancestors 'none'";
  }
  if (options.hsts) res.headers['strict-transport-security'] ??= 'max-age=31536000; includeSubDomains';
}
