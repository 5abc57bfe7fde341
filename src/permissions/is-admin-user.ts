import type { RequestContext, UserPermission } from '../types.ts';

/** DRF's `IsAdminUser`: staff only. Anonymous → not authenticated; non-staff → 403. */
export const IsAdminUser: UserPermission = Object.freeze({
  requiresUser: true,
  hasPermission: (ctx: RequestContext) => ctx.user?.isStaff === true,
  hasObjectPermission: () => true,
});
