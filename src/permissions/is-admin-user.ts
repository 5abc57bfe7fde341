import type { Permission, RequestContext } from '../types.ts';

/** DRF's `IsAdminUser`: staff only. Anonymous → not authenticated; non-staff → 403. */
export const IsAdminUser: Permission = Object.freeze({
  hasPermission: (ctx: RequestContext) => ctx.user?.isStaff === true,
  hasObjectPermission: () => true,
});
