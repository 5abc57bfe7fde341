import { invalidToken } from './token-error.ts';

/**
 * Header parameters no Gatehouse or simplejwt token carries. `crit` and `b64`
 * change how the token must be processed; `jku`, `jwk`, `x5u` and `x5c` would
 * name a key (RFC 8725 §3.10; CVE-2018-0114); `zip` is a JWE decompression path.
 * Refusing them outright keeps "the server's keys only" obvious.
 */
const FORBIDDEN = ['crit', 'b64', 'zip', 'jku', 'jwk', 'x5u', 'x5c', 'enc'] as const;

/**
 * The `typ` rule. PyJWT always writes `"typ":"JWT"`; RFC 7519 §5.1 makes `typ`
 * optional and case-insensitive, with the `application/` prefix implied. So an
 * absent `typ`, `JWT`, `jwt` and `application/jwt` are accepted; anything else
 * (`at+jwt`, `JOSE`, a number) names another kind of token and is refused
 * (RFC 8725 §3.11, explicit typing).
 */
function typOk(typ: unknown): boolean {
  if (typ === undefined) return true;
  if (typeof typ !== 'string') return false;
  const lower = typ.toLowerCase();
  return lower === 'jwt' || lower === 'application/jwt';
}

/**
 * Throws `Token is invalid` (reason `header`) for a protected header Gatehouse
 * does not accept. Runs inside jose's key resolver: after jose has parsed the
 * header and checked `alg` against the allow-list, before any key is chosen.
 *
 * ```ts
 * checkHeader({ alg: 'HS256', typ: 'JWT' }); // ok
 * checkHeader({ alg: 'HS256', crit: ['exp'] }); // throws TokenError('Token is invalid')
 * ```
 */
export function checkHeader(header: Record<string, unknown>): void {
  for (const name of FORBIDDEN) {
    if (Object.hasOwn(header, name)) throw invalidToken('header');
  }
  if (!typOk(header.typ)) throw invalidToken('header');
  if (header.kid !== undefined && typeof header.kid !== 'string') throw invalidToken('header');
}
