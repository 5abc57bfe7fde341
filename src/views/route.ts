import type { View } from '../view.ts';

/** The groups of endpoints a Gatehouse serves; `gh.urls({ include })` picks among them. */
export type RouteGroup = 'health' | 'session' | 'tokens' | 'jwt' | 'accounts' | 'mfa' | 'passkeys';

/**
 * One endpoint: a path in the syntax Express, Fastify and Hono share
 * (`/api/sessions/:id/`) and the view that answers every method on it.
 */
export interface Route {
  /** A stable name to find a route by (`login`, `token-obtain-pair`), as Django's URL names. */
  readonly name: string;
  readonly path: string;
  readonly view: View;
  /** The group it belongs to (`session`, `jwt`, …; an application's own routes may name their own). */
  readonly group: string;
  /** Also served without the trailing slash (djoser's `re_path`s with `/?$`); otherwise that answers 301. */
  readonly slashOptional?: boolean;
}

/** `Cache-Control: no-store`: every answer of an authentication endpoint carries it. */
export const NO_STORE: Readonly<Record<string, string>> = Object.freeze({ 'cache-control': 'no-store' });
