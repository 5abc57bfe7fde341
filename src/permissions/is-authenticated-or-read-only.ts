import type { Permission, RequestContext } from '../types.ts';

/** DRF's `SAFE_METHODS` (Django's CSRF list also has TRACE; DRF's does not). */
export const SAFE_METHODS: readonly string[] = Object.freeze(['GET', 'HEAD', 'OPTIONS']);

/** DRF's `IsAuthenticatedOrReadOnly`: anyone may read, only users may write. */
export const IsAuthenticatedOrReadOnly: Permission = Object.freeze({
  hasPermission: (ctx: RequestContext) => SAFE_METHODS.includes(ctx.req.method) || ctx.user !== null,
  hasObjectPermission: () => true,
});
