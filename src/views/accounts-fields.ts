import { emailProblems, normalizeEmail } from '../accounts/user-fields.ts';
import { ValidationError } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import { type CharFieldSpec, charFields } from '../http/fields.ts';
import type { AuthRequest } from '../request.ts';
import type { User } from '../stores/types.ts';
import type { Permission, RequestContext } from '../types.ts';

/** Field errors in DRF's shape, gathered field by field in the serializer's order. */
export type FieldErrors = Record<string, string[]>;

/**
 * DRF's `to_internal_value`: every field is validated and every failure
 * kept, in declaration order, so later checks (a wrong current password)
 * can join the errors of the others. Data that is not a dictionary is
 * refused at once, as DRF refuses it.
 *
 * ```ts
 * const { values, errors } = readFields(ctx.data(), { new_password: { trim: false }, current_password: { trim: false } });
 * ```
 */
export function readFields<K extends string>(
  data: unknown,
  spec: Record<K, CharFieldSpec>,
): { values: Partial<Record<K, string>>; errors: FieldErrors; present: Set<K> } {
  charFields(data, {}); // a body that is not a dictionary: DRF's non_field_errors
  const values: Partial<Record<K, string>> = {};
  const errors: FieldErrors = {};
  const present = new Set<K>();
  for (const name of Object.keys(spec) as K[]) {
    if (Object.hasOwn(data as object, name) && (data as Record<string, unknown>)[name] !== undefined)
      present.add(name);
    try {
      values[name] = charFields(data, { [name]: spec[name] } as Record<K, CharFieldSpec>)[name];
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      Object.assign(errors, error.body);
    }
  }
  return { values, errors, present };
}

/**
 * DRF's `EmailField` on a value `readFields` let through: a blank value
 * passes when blank is allowed; otherwise the length and the address
 * pattern. Returns the address with its domain lower-cased (Django's
 * `normalize_email`), or records the error.
 */
export function emailValue(value: string | undefined, name: string, errors: FieldErrors): string | undefined {
  if (value === undefined || value === '') return value;
  const problems = emailProblems(value);
  if (problems.length > 0) {
    errors[name] = problems;
    return undefined;
  }
  return normalizeEmail(value);
}

/** Throws the gathered errors, if any, as one 400, the fields in `order` (the serializer's) when given. */
export function raiseErrors(errors: FieldErrors, order: readonly string[] = []): void {
  const names = Object.keys(errors);
  if (names.length === 0) return;
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const sorted = names.sort((a, b) => rank(a) - rank(b));
  throw new ValidationError(Object.fromEntries(sorted.map((name) => [name, errors[name]])));
}

/** `{"email","id","username"}`: djoser's `UserSerializer` (`REQUIRED_FIELDS`, id, login field). */
export function djoserUser(user: User) {
  return { email: user.email, id: user.id, username: user.username };
}

/** `{"email","username","id"}`: djoser's `UserCreateSerializer` answer. */
export function djoserCreatedUser(user: User) {
  return { email: user.email, username: user.username, id: user.id };
}

/**
 * djoser's `CurrentPasswordSerializer.validate_current_password`, counted
 * as a login attempt: a wrong password shares the account's and the
 * address's failure buckets, and past them the answer is 429 before the
 * password is looked at.
 */
export async function currentPasswordValid(
  gh: Gatehouse,
  req: AuthRequest,
  user: User,
  password: string,
): Promise<boolean> {
  // Counted before the hash, taken back on success (issue 8.4): a burst cannot get past the limit.
  const attempt = await gh.loginThrottle.begin(user.username, req.clientAddress);
  const { valid } = await gh.hashers.verify(password, user.password);
  if (valid) await attempt.succeeded();
  return valid;
}

/**
 * djoser's `UserViewSet` permissions for an action open to anyone (`create`,
 * `activation`, `reset_password`, …): the mapped methods are open; any other
 * method has no action, falls back to `CurrentUserOrAdmin`, and answers 403
 * to an anonymous client before the 405 (what djoser answers a `GET`).
 */
export function openFor(...methods: string[]): Permission {
  return Object.freeze({
    hasPermission: (ctx: RequestContext) => methods.includes(ctx.req.method) || ctx.user !== null,
  });
}
