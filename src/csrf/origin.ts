/**
 * Django's CSRF origin rules (`CsrfViewMiddleware._origin_verified` and
 * `_check_referer`): where an unsafe request came from, judged against the
 * configured trusted origins and the request's own origin. The request's own
 * origin is built from `Host` only when that host is in `allowedHosts`, so a
 * forged `Host: evil.example` cannot vouch for `Origin: https://evil.example`.
 *
 * ```ts
 * const policy = new OriginPolicy({ trustedOrigins: ['https://*.example.com'], allowedHosts: ['app.example.com'] });
 * policy.originVerified(req);  // true for Origin: https://sub.example.com
 * policy.refererProblem(req);  // null, or 'Referer checking failed - no Referer.' …
 * ```
 */
import { ConfigurationError } from '../errors.ts';
import { type SplitUrl, splitUrl } from '../http/safe-redirect.ts';
import { type AuthRequest, header, host } from '../request.ts';

/**
 * Django's `is_same_domain`: a pattern starting with `.` matches that domain
 * and every subdomain; anything else is an exact match. Only the pattern is
 * lower-cased, as in Django (callers lower-case hosts where Django does).
 *
 * ```ts
 * isSameDomain('foo.example.com:8888', '.example.com:8888') // true
 * isSameDomain('example.com:9999', 'example.com:8888')     // false
 * ```
 */
export function isSameDomain(host: string, pattern: string): boolean {
  if (!pattern) return false;
  const p = pattern.toLowerCase();
  return (p[0] === '.' && (host.endsWith(p) || host === p.slice(1))) || p === host;
}

const HOST = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]+))?$/;

/**
 * Django's `split_domain_port`: the lower-cased domain (trailing dot removed)
 * and port, or `['', '']` when the host is not a valid host.
 *
 * ```ts
 * splitDomainPort('Example.COM.:8000') // ['example.com', '8000']
 * ```
 */
export function splitDomainPort(host: string): [domain: string, port: string] {
  const match = HOST.exec(host.toLowerCase());
  if (!match) return ['', ''];
  return [match[1].endsWith('.') ? match[1].slice(0, -1) : match[1], match[2] ?? ''];
}

/**
 * Django's `request.get_host()`: the `Host` header as sent (port included)
 * when its domain matches `allowedHosts` (`ALLOWED_HOSTS` patterns: exact,
 * `.example.com` for the domain and its subdomains, `*` for any), else null
 * where Django raises `DisallowedHost`. `X-Forwarded-Host` is never read.
 *
 * ```ts
 * allowedHost(req, ['.example.com']) // 'www.example.com:8443' for Host: www.example.com:8443
 * ```
 */
export function allowedHost(req: AuthRequest, allowedHosts: readonly string[]): string | null {
  const raw = host(req);
  const [domain] = splitDomainPort(raw);
  if (domain && allowedHosts.some((pattern) => pattern === '*' || isSameDomain(domain, pattern))) return raw;
  return null;
}

export interface OriginPolicyOptions {
  /** `CSRF_TRUSTED_ORIGINS`: `https://app.example.com`, or `https://*.example.com` for subdomains. */
  trustedOrigins: readonly string[];
  /** `ALLOWED_HOSTS`: which `Host` values may stand for the server's own origin. */
  allowedHosts: readonly string[];
}

/** The Origin and Referer half of Django's CSRF check, precomputed from configuration. */
export class OriginPolicy {
  readonly #allowedHosts: readonly string[];
  /** Entries without `*`, compared as whole strings. */
  readonly #exact: ReadonlySet<string>;
  /** Scheme → netloc patterns with the `*` stripped (`.example.com`). */
  readonly #wildcards: ReadonlyMap<string, readonly string[]>;
  /** Every entry's netloc, `*` stripped: the Referer check ignores the entries' schemes, as Django does. */
  readonly #refererHosts: readonly string[];

  /** Throws ConfigurationError for an entry without a scheme or one that cannot be parsed. */
  constructor(options: OriginPolicyOptions) {
    const exact = new Set<string>();
    const wildcards = new Map<string, string[]>();
    const refererHosts: string[] = [];
    for (const origin of options.trustedOrigins) {
      // Django's system check 4_0.E001, in its words: bare hosts were the 3.2 format.
      if (!origin.includes('://')) {
        throw new ConfigurationError(
          'As of Django 4.0, the values in the CSRF_TRUSTED_ORIGINS setting must start with a scheme ' +
            `(usually http:// or https://) but found ${origin}. See the release notes for details.`,
        );
      }
      const parts = splitUrl(origin);
      // Django would raise ValueError on first use; fail at start-up instead.
      if (!parts) throw new ConfigurationError(`CSRF_TRUSTED_ORIGINS entry cannot be parsed: ${origin}`);
      const netloc = parts.netloc.replace(/^\*+/, '');
      refererHosts.push(netloc);
      if (!origin.includes('*')) exact.add(origin);
      else wildcards.set(parts.scheme, [...(wildcards.get(parts.scheme) ?? []), netloc]);
    }
    this.#allowedHosts = Object.freeze([...options.allowedHosts]);
    this.#exact = exact;
    this.#wildcards = wildcards;
    this.#refererHosts = Object.freeze(refererHosts);
    Object.freeze(this);
  }

  /** Whether the `Origin` header (which must be present) is the request's own origin or a trusted one. */
  originVerified(req: AuthRequest): boolean {
    const origin = header(req, 'origin') ?? '';
    const own = allowedHost(req, this.#allowedHosts);
    if (own !== null && origin === `${req.secure ? 'https' : 'http'}://${own}`) return true;
    if (this.#exact.has(origin)) return true;
    const parts = splitUrl(origin);
    if (!parts) return false;
    const patterns = this.#wildcards.get(parts.scheme) ?? [];
    return patterns.some((pattern) => isSameDomain(parts.netloc, pattern));
  }

  /**
   * For HTTPS requests without `Origin`: Django's reason when the `Referer`
   * is missing, malformed, not HTTPS, or from elsewhere; null when it passes.
   */
  refererProblem(req: AuthRequest): string | null {
    const referer = header(req, 'referer');
    if (referer === undefined) return 'Referer checking failed - no Referer.';
    const parts = splitUrl(referer);
    if (!parts?.scheme || !parts.netloc) return 'Referer checking failed - Referer is malformed.';
    // Over HTTPS a page served over plain HTTP is attacker-controllable (MITM), whatever its host.
    if (parts.scheme !== 'https')
      return 'Referer checking failed - Referer is insecure while host is secure.';
    if (this.#refererHosts.some((pattern) => isSameDomain(parts.netloc, pattern))) return null;
    const own = allowedHost(req, this.#allowedHosts);
    if (own !== null && isSameDomain(parts.netloc, own)) return null;
    return `Referer checking failed - ${joinUrl(parts)} does not match any trusted origins.`;
  }
}

/** Python's `geturl()` for a URL with a scheme and a host: the Referer as Django echoes it. */
function joinUrl(parts: SplitUrl): string {
  const query = parts.query ? `?${parts.query}` : '';
  const fragment = parts.fragment ? `#${parts.fragment}` : '';
  return `${parts.scheme}://${parts.netloc}${parts.path}${query}${fragment}`;
}
