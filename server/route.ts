import type { View } from '#gatehouse';

/** One URL of the reference server. `browsable: false` for endpoints that only render JSON (DRF's JSONRenderer-only views). */
export interface Route {
  /** Fastify syntax: `/api/articles/:id/`. */
  path: string;
  view: View;
  browsable?: boolean;
  /** DRF views with only the JSON renderer (`obtain_auth_token`) answer 406 to a client that accepts no JSON. */
  jsonOnly?: boolean;
}

export const NO_STORE = Object.freeze({ 'cache-control': 'no-store' });
