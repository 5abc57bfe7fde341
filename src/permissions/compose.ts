import type { Permission, RequestContext, UserPermission } from '../types.ts';

type Guarded = { readonly requiresUser: true };
/** `and(…)` requires a user when any operand does. */
type AndOf<P extends readonly Permission[]> = [Extract<P[number], Guarded>] extends [never]
  ? Permission
  : UserPermission;
/** `or(…)` requires a user when every operand does. */
type OrOf<P extends readonly Permission[]> = [Exclude<P[number], Guarded>] extends [never]
  ? UserPermission
  : Permission;

// DRF's composed permissions carry no message: a denial always uses the default text.

async function objectPermission(p: Permission, ctx: RequestContext, obj: unknown): Promise<boolean> {
  return p.hasObjectPermission ? p.hasObjectPermission(ctx, obj) : true;
}

/** DRF's `A & B`, short-circuiting. `and(IsAuthenticated, IsAuthor)` */
export function and<const P extends readonly Permission[]>(...permissions: P): AndOf<P> {
  return Object.freeze({
    requiresUser: permissions.some((p) => p.requiresUser === true),
    async hasPermission(ctx: RequestContext) {
      for (const p of permissions) if (!(await p.hasPermission(ctx))) return false;
      return true;
    },
    async hasObjectPermission(ctx: RequestContext, obj: unknown) {
      for (const p of permissions) if (!(await objectPermission(p, ctx, obj))) return false;
      return true;
    },
  }) as Permission as AndOf<P>;
}

/**
 * DRF's `A | B`. Object permission follows DRF ≥3.14 (PR #7522): an operand
 * grants the object only if it also grants the view, so `IsAdminUser | IsAuthor`
 * cannot let a non-author through on the strength of a view-level grant alone.
 */
export function or<const P extends readonly Permission[]>(...permissions: P): OrOf<P> {
  return Object.freeze({
    requiresUser: permissions.length > 0 && permissions.every((p) => p.requiresUser === true),
    async hasPermission(ctx: RequestContext) {
      for (const p of permissions) if (await p.hasPermission(ctx)) return true;
      return false;
    },
    async hasObjectPermission(ctx: RequestContext, obj: unknown) {
      for (const p of permissions) {
        if ((await p.hasPermission(ctx)) && (await objectPermission(p, ctx, obj))) return true;
      }
      return false;
    },
  }) as Permission as OrOf<P>;
}

/** DRF's `~A`: negates both checks. */
export function not(permission: Permission): Permission {
  return Object.freeze({
    requiresUser: false,
    async hasPermission(ctx: RequestContext) {
      return !(await permission.hasPermission(ctx));
    },
    async hasObjectPermission(ctx: RequestContext, obj: unknown) {
      return !(await objectPermission(permission, ctx, obj));
    },
  });
}
