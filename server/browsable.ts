import { type ApiResponse, type AuthRequest, cookie, type Gatehouse, type View } from '../src/index.ts';
import { renderPage, wantsHtml } from './browsable-api.ts';

/** Adds a value to a `Vary` list once. */
function addVary(current: string | undefined, value: string): string {
  if (!current) return value;
  const parts = current.split(',').map((s) => s.trim().toLowerCase());
  return parts.includes(value.toLowerCase()) ? current : `${current}, ${value}`;
}

/**
 * The browsable API around a view: a browser's GET (Accept preferring
 * `text/html`) gets DRF's HTML page of the answer, with the user's name and a
 * log-out button or a log-in link. Views that render only JSON pass through.
 *
 * ```ts
 * const routes = gh.urls().map((r) => ({ ...r, view: browsable(gh, r.view) }));
 * ```
 */
export function browsable(gh: Gatehouse, view: View): View {
  if (!view.renderers.includes('html')) return view;
  return {
    ...view,
    async handle(req, params) {
      const res = await view.handle(req, params);
      // DRF's order: `Accept` (two renderers), then `Cookie` (the session was read).
      res.headers.vary = res.headers.vary ? addVary('Accept', res.headers.vary) : 'Accept';
      if (res.text !== undefined || !wantsHtml(req)) return res;
      return page(gh, view, req, res);
    },
  };
}

async function page(gh: Gatehouse, view: View, req: AuthRequest, res: ApiResponse): Promise<ApiResponse> {
  // The page shows who is logged in; a failing lookup only hides the name.
  const found = await gh.sessions.resolve(cookie(req, gh.sessions.cookieName)).catch(() => null);
  const { token, cookie: csrf } = gh.csrfFor(req);
  const text = renderPage(res, {
    name: view.name,
    path: req.path,
    username: found?.user.username ?? null,
    csrfToken: token,
  });
  const headers: Record<string, string> = {
    ...res.headers,
    'content-type': 'text/html; charset=utf-8',
    // The page shows who is logged in, so it varies with the cookie too.
    vary: addVary(res.headers.vary, 'Cookie'),
  };
  // A JSON answer's framing headers were chosen for JSON: the page gets the HTML ones.
  delete headers['content-security-policy'];
  const out: ApiResponse = { status: res.status, headers, cookies: [...res.cookies, csrf], text };
  gh.finish(req, out);
  return out;
}
