import type { Gatehouse } from '../gatehouse.ts';
import { userActionViews } from './accounts-actions.ts';
import { accountTokenViews } from './accounts-token.ts';
import { userViews } from './accounts-users.ts';
import type { Route } from './route.ts';

/**
 * The contract's "Accounts" table: djoser 2.1's `djoser.urls`,
 * `djoser.urls.authtoken` and `djoser.urls.jwt` under `/auth/`, with the
 * contract's departures where djoser leaks or is unsafe. The actions come
 * before `users/<id>/`, so a router that matches in order never reads
 * `activation` as an id.
 *
 * ```ts
 * mount(app, gh.urls({ include: ['accounts'] }));
 * ```
 */
export function accountViews(gh: Gatehouse): Route[] {
  const [list, me, detail] = userViews(gh);
  return [list, me, ...userActionViews(gh), detail, ...accountTokenViews(gh)];
}
