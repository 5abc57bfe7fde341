import type { NextFunction, Request, Response } from 'express';
import type { AuthRequest } from '../request.ts';
import type { ApiResponse } from '../response.ts';
import { toResponse } from '../response.ts';
import type { RequestContext } from '../types.ts';
import type { View } from '../view.ts';
import { fromNodeRequest, type NodeAdapterOptions, writeNodeResponse } from './node-http.ts';

declare module 'express-serve-static-core' {
  interface Request {
    gatehouse?: RequestContext;
  }
}

/**
 * Express middleware running a Gatehouse check; the result is `req.gatehouse`.
 * Mount it before any body parser on the routes it guards: Gatehouse reads
 * the body itself (it needs `csrfmiddlewaretoken` from forms).
 *
 * ```ts
 * app.get('/me', protect((req) => gh.check(req, { permissions: [IsAuthenticated] })), (req, res) =>
 *   res.json({ user: req.gatehouse!.user?.username }));
 * ```
 */
export function protect(
  check: (req: AuthRequest) => Promise<RequestContext>,
  options: NodeAdapterOptions = {},
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      req.gatehouse = await check(await fromNodeRequest(req, options));
      next();
    } catch (error) {
      writeNodeResponse(res, toResponse(error), req.method, options.now?.());
    }
  };
}

/** Serves a Gatehouse view as an Express route handler: `app.all('/api/articles/:id/', serve(view))`. */
export function serve(view: View, options: NodeAdapterOptions = {}) {
  return async (req: Request, res: Response): Promise<void> => {
    let response: ApiResponse;
    try {
      response = await view.handle(await fromNodeRequest(req, options), req.params as Record<string, string>);
    } catch (error) {
      response = toResponse(error);
    }
    writeNodeResponse(res, response, req.method, options.now?.());
  };
}
