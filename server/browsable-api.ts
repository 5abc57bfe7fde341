import { STATUS_CODES } from 'node:http';
import type { ApiResponse } from '../src/index.ts';
import { type AuthRequest, escapeHtml, header } from '../src/index.ts';

export { escapeHtml };

/**
 * DRF's `DefaultContentNegotiation.select_renderer` for the two renderers a
 * view has (JSON first, then the browsable API): Accept entries are grouped by
 * specificity (with parameters, then a full type, then a type wildcard, then
 * the any-type wildcard; q-values do not count), and within the most specific group that any renderer matches,
 * JSON wins. `?format=json` and `?format=api` override.
 */
export function wantsHtml(req: AuthRequest): boolean {
  const format = req.query.get('format');
  if (format) return format === 'api';
  const accept = header(req, 'accept');
  if (!accept) return false;
  const groups: [string, string][][] = [[], [], [], []];
  for (const part of accept.split(',')) {
    const [full, ...params] = part.trim().toLowerCase().split(';');
    const [type, sub = ''] = full.trim().split('/');
    const hasParams = params.some((p) => p.trim() !== '' && !p.trim().startsWith('q='));
    const precedence = type === '*' ? 0 : sub === '*' ? 1 : hasParams ? 3 : 2;
    groups[precedence].push([type, sub]);
  }
  const matches = (t: string, s: string, [type, sub]: [string, string]) =>
    (type === '*' || type === t) && (sub === '*' || sub === s);
  for (const group of groups.reverse()) {
    if (group.some((m) => matches('application', 'json', m))) return false;
    if (group.some((m) => matches('text', 'html', m))) return true;
  }
  return false;
}

export interface PageContext {
  name: string;
  path: string;
  username: string | null;
  /** A masked CSRF token for the log-out form. */
  csrfToken: string;
}

const SHOWN_HEADERS = ['allow', 'content-type', 'vary', 'www-authenticate', 'retry-after'];

/**
 * Renders a response as DRF's browsable API page: the endpoint's name, the
 * status line and chosen headers, the JSON pretty-printed, and the user's name
 * with a log-out button or a log-in link. Every value is escaped; no script.
 */
export function renderPage(res: ApiResponse, page: PageContext): string {
  const headers: Record<string, string> = {
    ...res.headers,
    'content-type': 'application/json',
    vary: res.headers.vary ?? 'Accept',
  };
  const lines = [`<b>HTTP ${res.status} ${escapeHtml(STATUS_CODES[res.status] ?? '')}</b>`];
  for (const name of SHOWN_HEADERS) {
    const value = headers[name];
    if (value) lines.push(`<b>${titleCase(name)}:</b> <span class="lit">${escapeHtml(value)}</span>`);
  }
  const body = res.data === undefined ? '' : escapeHtml(JSON.stringify(res.data, null, 4));
  const next = encodeURIComponent(page.path);
  const account = page.username
    ? `<form method="post" action="/api-auth/logout/?next=${escapeHtml(next)}" class="navbar-form">
<input type="hidden" name="csrfmiddlewaretoken" value="${escapeHtml(page.csrfToken)}">
<span class="username">${escapeHtml(page.username)}</span> <button type="submit">Log out</button></form>`
    : `<a href="/api-auth/login/?next=${escapeHtml(next)}">Log in</a>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.name)} – Gatehouse</title>
<style>body{font-family:system-ui,sans-serif;margin:0;color:#222}header{background:#2c3e50;color:#fff;padding:.6rem 1rem;display:flex;justify-content:space-between;align-items:center}header a{color:#fff}
main{padding:1rem 2rem}pre{background:#f5f5f5;border:1px solid #ddd;padding:1rem;overflow:auto;white-space:pre-wrap}.lit{color:#195f91}form{display:inline}</style>
</head><body><header><span>Gatehouse REST framework</span><span>${account}</span></header>
<main><h1>${escapeHtml(page.name)}</h1><div class="response-info"><pre class="prettyprint">${lines.join('\n')}

${body}</pre></div></main></body></html>
`;
}

function titleCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}
