import { STATUS_CODES } from 'node:http';
import { type AuthRequest, header } from '../request.ts';
import type { ApiResponse } from '../response.ts';

/** HTML-escapes text for element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * DRF's content negotiation between JSON and the browsable API: HTML only when
 * the client prefers `text/html` over JSON and did not ask for `?format=json`.
 */
export function wantsHtml(req: AuthRequest): boolean {
  const format = req.query.get('format');
  if (format) return format === 'api';
  const accept = header(req, 'accept');
  if (!accept) return false;
  let html = -1;
  let json = -1;
  for (const [index, part] of accept.split(',').entries()) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const q = Number(params.find((p) => p.trim().startsWith('q='))?.split('=')[1] ?? 1);
    const score = q * 1000 - index; // earlier entries win ties, as a browser's list is ordered
    if (type === 'text/html') html = Math.max(html, score);
    if (type === 'application/json' || type === '*/*')
      json = Math.max(json, type === '*/*' ? score - 500 : score);
  }
  return html > json;
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
