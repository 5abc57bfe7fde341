import { AllowAny, type Gatehouse, jsonResponse } from '#gatehouse';
import type { Route } from '../route.ts';

/** `GET /healthz`: 200 when every store answers, 503 otherwise (load balancers read the status). */
export function healthRoutes(gh: Gatehouse): Route[] {
  const view = gh.view({
    name: 'Health',
    authenticators: [],
    permissions: [AllowAny],
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
  return [{ path: '/healthz', view, browsable: false }];
}
