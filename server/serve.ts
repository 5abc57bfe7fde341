import {
  type ApiResponse,
  type AuthRequest,
  addVary,
  type Cors,
  cookie,
  type Gatehouse,
  renderPage,
  wantsHtml,
} from '#gatehouse';

import type { Route } from './route.ts';

/**
 * Wraps a route's view with what the reference server adds around every API
 * endpoint: CORS (preflight and headers, errors included), `Vary: Accept`, and
 * the browsable API when a browser asks for HTML.
 */
export function serveRoute(gh: Gatehouse, cors: Cors, route: Route) {
  return async (req: AuthRequest, params: Record<string, string>): Promise<ApiResponse> => {
    const preflight = cors.preflight(req);
    if (preflight) {
      cors.decorate(req, preflight);
      return preflight;
    }
    let res = await route.view.handle(req, params);
    if (route.browsable !== false) {
      res.headers.vary = addVary(res.headers.vary, 'Accept');
      if (res.text === undefined && wantsHtml(req)) res = await browsable(gh, route, req, res);
    }
    cors.decorate(req, res);
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
    headers: { ...res.headers, 'content-type': 'text/html; charset=utf-8' },
    cookies: [...res.cookies, csrf],
    text,
  };
}
