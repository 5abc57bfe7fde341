import type { Gatehouse } from '../gatehouse.ts';
import { AllowAny } from '../permissions/allow-any.ts';
import { jsonResponse } from '../response.ts';
import type { Route } from './route.ts';

/** `GET /healthz`: 200 `{"status":"ok"}` when every store answers, 503 `{"status":"unavailable"}` otherwise. */
export function healthViews(gh: Gatehouse): Route[] {
  const view = gh.view({
    name: 'Health',
    authenticators: [],
    permissions: [AllowAny],
    throttles: [],
    renderers: ['json'],
    headers: { 'cache-control': 'no-store' },
    handlers: {
      GET: async () => {
        try {
          await gh.stores.ping();
          return jsonResponse(200, { status: 'ok' });
        } catch {
          return jsonResponse(503, { status: 'unavailable' });
        }
      },
    },
  });
  return [{ name: 'health', path: '/healthz', view, group: 'health' }];
}
