import type { Permission, RequestContext } from '../types.ts';

/** DRF's `IsAuthenticated`. `permissions: [IsAuthenticated]` */
export const IsAuthenticated: Permission = Object.freeze({
  hasPermission: (ctx: RequestContext) => ctx.user !== null,
  hasObjectPermission: () => true,
});
