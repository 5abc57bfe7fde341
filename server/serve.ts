import {
  type ApiResponse,
  type AuthRequest,
  addVary,
  type Cors,
  cookie,
  type Gatehouse,
  header,
  NotAcceptable,
  renderPage,
  toResponse,
  wantsHtml,
} from '#gatehouse';

import type { Route } from './route.ts';

/**
 * Wraps a route's view with what the reference server adds around every API
 * endpoint: CORS (preflight and headers, errors included), `Vary: Accept`, and
 * the browsable API when a browser asks for HTML.
 */
/**
 * The response-header baseline (HDR-02): every answer says `nosniff`; pages
 * and the authentication endpoints (the `no-store` ones, which carry
 * credentials) also forbid framing and loading anything; HSTS when the
 * deployment says it is behind HTTPS. Plain JSON resources skip the two
 * framing headers: a browser never renders them, and every header costs on
 * the hot path.
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

/** Whether an Accept header admits `application/json` (no header admits anything). */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const q = params.find((p) => p.trim().startsWith('q='));
    if (q && Number(q.trim().slice(2)) === 0) return false;
    return ['application/json', 'application/*', '*/*'].includes(type.trim());
  });
}

export function serveRoute(gh: Gatehouse, cors: Cors, route: Route) {
  return async (req: AuthRequest, params: Record<string, string>): Promise<ApiResponse> => {
    const preflight = cors.preflight(req);
    if (preflight) {
      cors.decorate(req, preflight);
      return preflight;
    }
    if (route.jsonOnly && !acceptsJson(header(req, 'accept'))) {
      const refused = toResponse(new NotAcceptable());
      cors.decorate(req, refused);
      securityHeaders(refused, { hsts: gh.secureCookies });
      return refused;
    }
    let res = await route.view.handle(req, params);
    const replaced = gh.csrf.replacementCookie(req, { secure: gh.secureCookies });
    if (replaced && !res.cookies.some((c) => c.name === replaced.name)) res.cookies.push(replaced);
    if (route.browsable !== false) {
      // DRF's order: `Accept` (two renderers), then `Cookie` (the session was read).
      res.headers.vary = res.headers.vary ? addVary('Accept', res.headers.vary) : 'Accept';
      if (res.text === undefined && wantsHtml(req)) res = await browsable(gh, route, req, res);
    }
    cors.decorate(req, res);
    securityHeaders(res, { hsts: gh.secureCookies });
    return res;
  };
}

async function browsable(
  gh: Gatehouse,
  route: Route,
  req: AuthRequest,
  res: ApiResponse,
): Promise<ApiResponse> {
  // The page shows who is logged in; a failing lookup only hides the name.
  const found = await gh.sessions.resolve(cookie(req, gh.sessions.cookieName)).catch(() => null);
  const { token, cookie: csrf } = gh.csrfFor(req);
  const text = renderPage(res, {
    name: route.view.name,
    path: req.path,
    username: found?.user.username ?? null,
    csrfToken: token,
  });
  return {
    status: res.status,
    // The page shows who is logged in, so it varies with the cookie too.
    headers: {
      ...res.headers,
      'content-type': 'text/html; charset=utf-8',
      vary: addVary(res.headers.vary, 'Cookie'),
    },
    cookies: [...res.cookies, csrf],
    text,
  };
}
