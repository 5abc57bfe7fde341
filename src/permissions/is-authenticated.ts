import type { RequestContext, UserPermission } from '../types.ts';

/** DRF's `IsAuthenticated`. `permissions: [IsAuthenticated]` */
export const IsAuthenticated: UserPermission = Object.freeze({
  requiresUser: true,
  hasPermission: (ctx: RequestContext) => ctx.user !== null,
  hasObjectPermission: () => true,
});
