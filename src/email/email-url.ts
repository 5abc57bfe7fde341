import { ConfigurationError } from '../errors.ts';
import { Secret } from '../internal/secret.ts';

/** Where `GATEHOUSE_EMAIL_URL` sends mail, parsed by {@link parseEmailUrl}. */
export type EmailUrl = ConsoleEmailUrl | SmtpEmailUrl;

export interface ConsoleEmailUrl {
  scheme: 'console';
  /** What a log may print: `console:`. */
  display: string;
}

export interface SmtpEmailUrl {
  scheme: 'smtp' | 'smtps';
  /** Without IPv6 brackets: `mail.example.com`, `127.0.0.1`, `::1`. */
  host: string;
  port: number;
  /** `smtps:`: TLS from the first byte; `smtp:`: plain, upgraded with STARTTLS. */
  secure: boolean;
  /**
   * `auto`: STARTTLS when the server offers it (the `smtp:` default);
   * `required`: no TLS, no mail (always so when the URL carries a password);
   * `never`: stay in plain text (`smtps:` has TLS from the start, so `never`).
   */
  starttls: 'auto' | 'required' | 'never';
  auth: { user: string; pass: Secret } | null;
  /** What a log may print: `smtp://alice@mail.example.com:587`, never the password. */
  display: string;
}

const MAX_URL = 2048;
const DEFAULT_PORT = { smtp: 25, smtps: 465 } as const;
const USAGE = 'expected console:, smtp://[user:pass@]host:port or smtps://[user:pass@]host:port';

/**
 * Parses `GATEHOUSE_EMAIL_URL`:
 * - `console:` — write each message to standard output (the default);
 * - `smtp://[user:pass@]host[:port]` — port 25 unless given; STARTTLS when the
 *   server offers it, `?starttls=required` to insist, `?starttls=never` to skip it;
 * - `smtps://[user:pass@]host[:port]` — TLS from the start, port 465 unless given.
 *
 * User and password are percent-decoded (`p%40ss` is `p@ss`). A password never
 * crosses the network in clear: with one, STARTTLS is required and
 * `?starttls=never` is refused. A bad URL throws `ConfigurationError` with a
 * one-line message that never repeats the URL (it may hold the password).
 *
 * ```ts
 * parseEmailUrl('smtps://alice:s3cret@mail.example.com');
 * // { scheme: 'smtps', host: 'mail.example.com', port: 465, secure: true, … }
 * ```
 */
export function parseEmailUrl(raw: string): EmailUrl {
  if (typeof raw !== 'string' || raw.length === 0)
    throw new ConfigurationError(`email URL is empty: ${USAGE}`);
  if (raw.length > MAX_URL) throw new ConfigurationError(`email URL is longer than ${MAX_URL} characters`);
  if (raw === 'console:' || raw === 'console://') return { scheme: 'console', display: 'console:' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(`email URL is not a valid URL: ${USAGE}`);
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== 'smtp' && scheme !== 'smtps') {
    // A short scheme is safe to print: a password sits after it.
    const shown = url.protocol.length <= 16 ? ` ${JSON.stringify(url.protocol)}` : '';
    throw new ConfigurationError(`email URL scheme${shown} is not supported: ${USAGE}`);
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (host === '') throw new ConfigurationError(`email URL has no host: ${USAGE}`);
  if ((url.pathname !== '' && url.pathname !== '/') || url.hash !== '')
    throw new ConfigurationError('email URL must not have a path or a fragment');
  const port = url.port === '' ? DEFAULT_PORT[scheme] : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ConfigurationError('email URL port must be between 1 and 65535');

  const auth = credentials(url);
  const starttls = starttlsMode(url, scheme, auth !== null);
  const userPart = auth ? `${encodeURIComponent(auth.user)}@` : '';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const query = url.search === '' ? '' : url.search;
  return {
    scheme,
    host,
    port,
    secure: scheme === 'smtps',
    starttls,
    auth,
    display: `${scheme}://${userPart}${hostPart}:${port}${query}`,
  };
}

function credentials(url: URL): SmtpEmailUrl['auth'] {
  if (url.username === '' && url.password === '') return null;
  if (url.username === '') throw new ConfigurationError('email URL has a password but no user name');
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(url.username);
    pass = decodeURIComponent(url.password);
  } catch {
    throw new ConfigurationError('email URL user name or password is not valid percent-encoding');
  }
  return { user, pass: new Secret(pass) };
}

function starttlsMode(url: URL, scheme: 'smtp' | 'smtps', hasAuth: boolean): SmtpEmailUrl['starttls'] {
  const keys = [...url.searchParams.keys()];
  const unknown = keys.find((key) => key !== 'starttls');
  if (unknown !== undefined)
    throw new ConfigurationError(`email URL parameter ${JSON.stringify(unknown)} is not supported`);
  const values = url.searchParams.getAll('starttls');
  if (values.length > 1) throw new ConfigurationError('email URL gives starttls more than once');
  if (values.length === 1 && scheme === 'smtps')
    throw new ConfigurationError('email URL: starttls applies to smtp://, smtps:// is TLS from the start');
  const value = values[0];
  if (value !== undefined && value !== 'required' && value !== 'never')
    throw new ConfigurationError('email URL starttls must be "required" or "never"');
  if (scheme === 'smtps') return 'never';
  if (hasAuth && value === 'never')
    throw new ConfigurationError('email URL: a password is never sent without TLS; drop starttls=never');
  if (hasAuth) return 'required';
  return value ?? 'auto';
}
