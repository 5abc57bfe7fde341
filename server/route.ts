import type { View } from '#gatehouse';

/** One URL of the reference server. `browsable: false` for endpoints that only render JSON (DRF's JSONRenderer-only views). */
export interface Route {
  /** Fastify syntax: `/api/articles/:id/`. */
  path: string;
  view: View;
  browsable?: boolean;
}

export const NO_STORE = Object.freeze({ 'cache-control': 'no-store' });
