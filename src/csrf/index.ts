/**
 * Django's CSRF protection: the check DRF runs for session-authenticated
 * unsafe requests, Django's token masking, and the origin rules.
 *
 * ```ts
 * import { CsrfProtection, csrfCookie } from './csrf/index.ts';
 * const csrf = new CsrfProtection({ trustedOrigins: ['https://app.example.com'], allowedHosts: ['app.example.com'] });
 * ```
 */
export { type CsrfOptions, CsrfProtection, csrfCookie } from './check.ts';
export {
  CSRF_ALLOWED_CHARS,
  CSRF_SECRET_LENGTH,
  CSRF_TOKEN_LENGTH,
  isWellFormed,
  maskSecret,
  newSecret,
  type TokenFormatProblem,
  tokenFormatProblem,
  toSecret,
  unmaskToken,
} from './mask.ts';
export {
  allowedHost,
  isSameDomain,
  OriginPolicy,
  type OriginPolicyOptions,
  splitDomainPort,
} from './origin.ts';
