import { ConfigurationError } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import { accountViews } from './accounts.ts';
import { healthViews } from './health.ts';
import { jwtViews } from './jwt.ts';
import { mfaViews } from './mfa.ts';
import { passkeyViews } from './passkeys.ts';
import type { Route, RouteGroup } from './route.ts';
import { sessionViews } from './session.ts';
import { tokenViews } from './tokens.ts';

export type { Route, RouteGroup } from './route.ts';
export { NO_STORE } from './route.ts';

export interface UrlOptions {
  /** The groups to serve; default all of them. */
  include?: readonly RouteGroup[];
  /** Prepended to every path, e.g. `/v1` serves `/v1/api/login/`. */
  prefix?: string;
}

const GROUPS: Record<RouteGroup, (gh: Gatehouse) => Route[]> = {
  health: healthViews,
  session: sessionViews,
  tokens: tokenViews,
  jwt: (gh) => jwtViews(gh),
  accounts: accountViews,
  mfa: mfaViews,
  passkeys: passkeyViews,
};

/**
 * Every endpoint of the contract as library views (Django's `urlpatterns`):
 * what an adapter's `mount` serves. Map over the list to wrap or drop one.
 *
 * ```ts
 * const routes = urls(gh, { include: ['session', 'tokens'] })
 *   .map((r) => (r.name === 'register' ? { ...r, view: myRegisterView } : r));
 * ```
 */
export function urls(gh: Gatehouse, options: UrlOptions = {}): Route[] {
  const include = options.include ?? (Object.keys(GROUPS) as RouteGroup[]);
  const prefix = options.prefix ?? '';
  if (prefix !== '' && (!prefix.startsWith('/') || prefix.endsWith('/'))) {
    throw new ConfigurationError(
      `urls prefix must start with / and not end with one, got ${JSON.stringify(prefix)}`,
    );
  }
  const routes: Route[] = [];
  for (const group of include) {
    const make = GROUPS[group];
    if (!make) throw new ConfigurationError(`urls: unknown group ${JSON.stringify(group)}`);
    for (const route of make(gh)) routes.push(prefix ? { ...route, path: prefix + route.path } : route);
  }
  return routes;
}
