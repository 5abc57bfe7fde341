/**
 * Django's CSRF check (`CsrfViewMiddleware.process_view`, Django ≥ 4.1, as
 * DRF's `SessionAuthentication.enforce_csrf` runs it): same order, same reason
 * strings, thrown as `CsrfFailed` (403 `{"detail":"CSRF Failed: <reason>"}`).
 *
 * ```ts
 * const csrf = new CsrfProtection({ trustedOrigins: ['https://app.example.com'], allowedHosts: ['app.example.com'] });
 * csrf.check(req, form?.csrfmiddlewaretoken); // throws CsrfFailed('CSRF token missing.') …
 * const token = csrf.issueToken(csrf.readSecret(req) ?? csrf.newSecret());
 * ```
 */
import { CsrfFailed } from '../errors.ts';
import type { SetCookie } from '../http/cookie.ts';
import { cryptoRandom, type Random } from '../internal/random.ts';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';
import { type AuthRequest, cookie, header } from '../request.ts';
import type { CsrfCheck } from '../types.ts';
import { maskSecret, newSecret, tokenFormatProblem, toSecret } from './mask.ts';
import { OriginPolicy } from './origin.ts';

export interface CsrfOptions {
  /** `CSRF_TRUSTED_ORIGINS`, each with its scheme: `https://app.example.com`, `https://*.example.com`. */
  trustedOrigins?: readonly string[];
  /** `ALLOWED_HOSTS` patterns for the `Host` header; default none, so only trusted origins count. */
  allowedHosts?: readonly string[];
  /** Default `csrftoken`. */
  cookieName?: string;
  /** An HTTP header name, default `x-csrftoken` (matched case-insensitively). */
  headerName?: string;
  random?: Random;
}

/** RFC 9110 safe methods: never checked (they must never change state). */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Python's `str.title()` on a header name, as Django renders it in reasons: `x-csrftoken` → `X-Csrftoken`. */
function titleCase(name: string): string {
  return name
    .toLowerCase()
    .replace(/(^|[^a-z])([a-z])/g, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/** The CSRF check and its token helpers; one instance serves every request. */
export class CsrfProtection implements CsrfCheck {
  readonly cookieName: string;
  readonly headerName: string;
  readonly #origins: OriginPolicy;
  readonly #random: Random;
  readonly #headerSource: string;

  constructor(options: CsrfOptions = {}) {
    // Throws ConfigurationError for an entry without a scheme (Django's check 4_0.E001).
    this.#origins = new OriginPolicy({
      trustedOrigins: options.trustedOrigins ?? [],
      allowedHosts: options.allowedHosts ?? [],
    });
    this.cookieName = options.cookieName ?? 'csrftoken';
    this.headerName = (options.headerName ?? 'x-csrftoken').toLowerCase();
    this.#headerSource = `the '${titleCase(this.headerName)}' HTTP header`;
    this.#random = options.random ?? cryptoRandom;
    Object.freeze(this);
  }

  /**
   * Throws `CsrfFailed` unless the request is safe or proves it came from a
   * trusted page. `formToken` is the `csrfmiddlewaretoken` field of a form POST.
   *
   * ```ts
   * csrf.check(req, undefined); // header X-CSRFToken must carry the cookie's secret, masked or not
   * ```
   */
  check(req: AuthRequest, formToken: string | undefined): void {
    if (SAFE_METHODS.has(req.method)) return;
    const origin = header(req, 'origin');
    if (origin !== undefined) {
      if (!this.#origins.originVerified(req)) {
        throw new CsrfFailed(`Origin checking failed - ${origin} does not match any trusted origins.`);
      }
    } else if (req.secure) {
      const problem = this.#origins.refererProblem(req);
      if (problem) throw new CsrfFailed(problem);
    }

    // A cookie sent twice is ambiguous (cookie tossing) and `cookie()` reports it as absent.
    const cookieValue = cookie(req, this.cookieName);
    if (cookieValue === undefined) throw new CsrfFailed('CSRF cookie not set.');
    const cookieProblem = tokenFormatProblem(cookieValue);
    if (cookieProblem) throw new CsrfFailed(`CSRF cookie ${cookieProblem}.`);

    // Django reads `request.POST` only for POST, and falls back to the header when the field is empty.
    let token = req.method === 'POST' ? (formToken ?? '') : '';
    let source = 'POST';
    if (token === '') {
      const fromHeader = header(req, this.headerName);
      if (fromHeader === undefined) throw new CsrfFailed('CSRF token missing.');
      token = fromHeader;
      source = this.#headerSource;
    }
    const tokenProblem = tokenFormatProblem(token);
    if (tokenProblem) throw new CsrfFailed(`CSRF token from ${source} ${tokenProblem}.`);
    if (!timingSafeEqual(toSecret(token), toSecret(cookieValue))) {
      throw new CsrfFailed(`CSRF token from ${source} incorrect.`);
    }
  }

  /**
   * The secret in the request's CSRF cookie (a legacy 64-character cookie is
   * unmasked), or null when it is absent, sent twice, or malformed.
   *
   * ```ts
   * const secret = csrf.readSecret(req) ?? csrf.newSecret(); // then send csrfCookie(secret, …) if it changed
   * ```
   */
  readSecret(req: AuthRequest): string | null {
    const value = cookie(req, this.cookieName);
    if (value === undefined || tokenFormatProblem(value)) return null;
    return toSecret(value);
  }

  /**
   * A freshly masked token for `secret`, different on every call (BREACH),
   * for `X-CSRFToken` or a `csrfmiddlewaretoken` field.
   *
   * ```ts
   * csrf.issueToken(secret) !== csrf.issueToken(secret) // both valid
   * ```
   */
  issueToken(secret: string): string {
    return maskSecret(secret, this.#random);
  }

  /**
   * A new 32-character secret (at login, or when the cookie is missing or malformed).
   *
   * ```ts
   * csrf.newSecret().length === 32
   * ```
   */
  newSecret(): string {
    return newSecret(this.#random);
  }

  /**
   * Django ≥ 4.0's replacement of a malformed cookie: when the request sent a
   * `csrftoken` that is not a valid secret (wrong length, other characters,
   * sent twice), a fresh one goes back on the response — rejected or not — so
   * the client can recover. Null when there is nothing to replace.
   *
   * ```ts
   * const replaced = csrf.replacementCookie(req, { secure: false }); // SetCookie | null
   * ```
   */
  replacementCookie(req: AuthRequest, options: { secure: boolean }): SetCookie | null {
    if (!req.cookies.has(this.cookieName) || this.readSecret(req) !== null) return null;
    return csrfCookie(this.newSecret(), { secure: options.secure, name: this.cookieName });
  }
}

/**
 * The CSRF cookie as Django ≥ 4.1 sends it: the bare secret, readable by
 * JavaScript (the client copies it into `X-CSRFToken`), 52 weeks, `SameSite=Lax`.
 *
 * ```ts
 * csrfCookie(secret, { secure: true }) // { name: 'csrftoken', value: secret, maxAge: 31449600, path: '/', sameSite: 'Lax', secure: true }
 * ```
 */
export function csrfCookie(secret: string, options: { secure: boolean; name?: string }): SetCookie {
  return {
    name: options.name ?? 'csrftoken',
    value: secret,
    maxAge: 31449600,
    path: '/',
    sameSite: 'Lax',
    secure: options.secure,
  };
}
