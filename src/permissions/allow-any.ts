import type { Permission } from '../types.ts';

/** DRF's `AllowAny`: authentication still runs, so a bad credential still fails the request. */
export const AllowAny: Permission = Object.freeze({
  hasPermission: () => true,
  hasObjectPermission: () => true,
});
