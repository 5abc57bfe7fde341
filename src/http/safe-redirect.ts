/**
 * Open-redirect guard: a port of Django's `url_has_allowed_host_and_scheme`,
 * and the URL splitter it (and the CSRF Origin/Referer checks) relies on, a
 * port of Python's `urllib.parse.urlsplit`. Parsing the way Python does, not
 * with WHATWG `new URL()`, keeps every one of Django's bypass fixes meaningful.
 *
 * ```ts
 * isSafeRedirect('/dashboard', { allowedHosts: ['app.example.test'], requireHttps: true }); // true
 * isSafeRedirect('//evil.example', { allowedHosts: ['app.example.test'], requireHttps: true }); // false
 * ```
 */
import { isIPv6 } from 'node:net';
import { pyLen, pyStrip } from '../passwords/python-str.ts';

/** The five parts of `urlsplit`; the scheme is lower-cased, the rest is as sent. */
export interface SplitUrl {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*$/;

/**
 * Python's `urlsplit`, or null where Python raises `ValueError` (unbalanced or
 * invalid brackets, a netloc that NFKC-normalises into URL delimiters).
 *
 * ```ts
 * splitUrl('HTTPS://a.example:8443/p?q#f') // { scheme: 'https', netloc: 'a.example:8443', path: '/p', query: 'q', fragment: 'f' }
 * splitUrl('https://[') // null
 * ```
 */
export function splitUrl(input: string): SplitUrl | null {
  // Like browsers: leading C0 controls and spaces go, tabs and newlines vanish anywhere.
  let url = input.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  const colon = url.indexOf(':');
  if (colon > 0 && SCHEME.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  let netloc = '';
  if (url.startsWith('//')) {
    let end = url.length;
    for (const delimiter of '/?#') {
      const at = url.indexOf(delimiter, 2);
      if (at !== -1 && at < end) end = at;
    }
    netloc = url.slice(2, end);
    url = url.slice(end);
    const open = netloc.includes('[');
    if (open !== netloc.includes(']')) return null;
    if (open && !bracketedNetlocIsValid(netloc)) return null;
  }
  let fragment = '';
  let query = '';
  const hash = url.indexOf('#');
  if (hash !== -1) [url, fragment] = [url.slice(0, hash), url.slice(hash + 1)];
  const question = url.indexOf('?');
  if (question !== -1) [url, query] = [url.slice(0, question), url.slice(question + 1)];
  if (!netlocSurvivesNfkc(netloc)) return null;
  return { scheme, netloc, path: url, query, fragment };
}

/** Python's `_check_bracketed_netloc`: `[…]` must be the whole host and hold an IPv6 or IPvFuture address. */
function bracketedNetlocIsValid(netloc: string): boolean {
  const hostAndPort = netloc.slice(netloc.lastIndexOf('@') + 1);
  const open = hostAndPort.indexOf('[');
  let hostname: string;
  if (open === -1) {
    hostname = hostAndPort.split(':')[0];
  } else {
    if (open > 0) return false;
    const close = hostAndPort.indexOf(']');
    hostname = close === -1 ? hostAndPort.slice(1) : hostAndPort.slice(1, close);
    const port = close === -1 ? '' : hostAndPort.slice(close + 1);
    if (port && !port.startsWith(':')) return false;
  }
  if (hostname.startsWith('v')) return /^v[a-fA-F0-9]+\..+$/.test(hostname);
  return isIPv6(hostname);
}

/** Python's `_checknetloc`: `evil.example\u2100x` would become `evil.examplea/cx` once IDNA-encoded. */
function netlocSurvivesNfkc(netloc: string): boolean {
  if (!netloc || /^[\x00-\x7f]*$/.test(netloc)) return true;
  const bare = netloc.replace(/[@:#?]/g, '');
  const normalized = bare.normalize('NFKC');
  return bare === normalized || !/[/?#@:]/.test(normalized);
}

export interface SafeRedirectOptions {
  /** Exact netlocs (`host[:port]`) a redirect may name; no patterns, as in Django. */
  allowedHosts: readonly string[];
  /** Only `https` absolute URLs pass (set it when the request itself is HTTPS). */
  requireHttps: boolean;
}

/**
 * True when `url` is a relative URL or names an allowed host with an allowed
 * scheme, as Django decides it. Gatehouse is stricter in two ways: a control
 * character anywhere rejects the URL (no header splitting through `Location`),
 * and the check is repeated on the URL with its ASCII `%XX` escapes decoded
 * (until nothing changes), because a proxy or client router that decodes once
 * would turn `%2F%2Fevil.example` into `//evil.example`.
 *
 * ```ts
 * isSafeRedirect('/url%20with%20spaces/', { allowedHosts: [], requireHttps: false }); // true
 * isSafeRedirect('http://app.example.test/x', { allowedHosts: ['app.example.test'], requireHttps: true }); // false
 * ```
 */
export function isSafeRedirect(url: string, options: SafeRedirectOptions): boolean {
  const hosts = new Set(options.allowedHosts);
  for (let candidate = url; ; ) {
    if (!hasAllowedHostAndScheme(candidate, hosts, options.requireHttps)) return false;
    const decoded = candidate.replace(/%([0-7][0-9a-fA-F])/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
    // Each round that changes the string shortens it, so the loop ends.
    if (decoded === candidate) return true;
    candidate = decoded;
  }
}

/** Django's cap: NFKC normalisation of huge inputs is slow enough to be a DoS vector. */
const MAX_URL_LENGTH = 2048;

function hasAllowedHostAndScheme(raw: string, hosts: ReadonlySet<string>, requireHttps: boolean): boolean {
  // Python's str.strip() (wider than trim(): \x1c-\x1f, \x85), by index loops, then Django's
  // length cap (code points) before any regex, split or normalisation looks at the URL (issue 8.1).
  const url = pyStrip(raw);
  if (!url || url.length > 2 * MAX_URL_LENGTH || pyLen(url) > MAX_URL_LENGTH) return false;
  if (/\p{Cc}/u.test(url)) return false;
  // Chrome treats `\` as `/` in paths, but it may also be part of basic-auth credentials: check both readings.
  return checkOne(url, hosts, requireHttps) && checkOne(url.replaceAll('\\', '/'), hosts, requireHttps);
}

function checkOne(url: string, hosts: ReadonlySet<string>, requireHttps: boolean): boolean {
  // Browsers read `///evil.example` as scheme-relative; urlsplit does not.
  if (url.startsWith('///')) return false;
  const parts = splitUrl(url);
  if (!parts) return false;
  // `http:///evil.example`, `https:evil.example`, `javascript:…`: a scheme without a host.
  if (parts.scheme && !parts.netloc) return false;
  // Browsers skip some leading control and format characters and may then see `//`.
  if (/^\p{C}/u.test(url)) return false;
  const scheme = parts.scheme || (parts.netloc ? 'http' : '');
  const schemeOk = !scheme || scheme === 'https' || (!requireHttps && scheme === 'http');
  return (!parts.netloc || hosts.has(parts.netloc)) && schemeOk;
}
