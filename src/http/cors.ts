import { ConfigurationError } from '../errors.ts';
import { type AuthRequest, header } from '../request.ts';
import type { ApiResponse } from '../response.ts';
import { addVary } from './write.ts';

export interface CorsOptions {
  /** Exact origins (`https://app.example.com`); never a wildcard, never reflected. */
  allowedOrigins: readonly string[];
  allowCredentials?: boolean;
}

const ALLOW_HEADERS = 'accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with';
const ALLOW_METHODS = 'DELETE, GET, OPTIONS, PATCH, POST, PUT';

/**
 * django-cors-headers' semantics for clients on other origins (tokens and
 * JWT; CORS origins are not CSRF-trusted). Preflights answer 200 here;
 * allowed origins get their own origin back, errors included.
 *
 * ```ts
 * const cors = new Cors({ allowedOrigins: ['https://app.example.com'] });
 * const res = cors.preflight(req) ?? (await view.handle(req));
 * cors.decorate(req, res);
 * ```
 */
export class Cors {
  readonly #origins: ReadonlySet<string>;
  readonly #credentials: boolean;

  constructor(options: CorsOptions) {
    for (const origin of options.allowedOrigins) {
      if (origin.includes('*') || !/^https?:\/\/[^/]+$/.test(origin)) {
        throw new ConfigurationError(
          `CORS allowed origins must be exact origins like https://app.example.com, got ${JSON.stringify(origin)}`,
        );
      }
    }
    this.#origins = new Set(options.allowedOrigins);
    this.#credentials = options.allowCredentials ?? false;
  }

  get enabled(): boolean {
    return this.#origins.size > 0;
  }

  /** The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`), or null. */
  preflight(req: AuthRequest): ApiResponse | null {
    if (
      !this.enabled ||
      req.method !== 'OPTIONS' ||
      header(req, 'access-control-request-method') === undefined
    ) {
      return null;
    }
    const res: ApiResponse = { status: 200, headers: { 'content-length': '0' }, cookies: [], text: '' };
    if (this.#allowed(req)) {
      res.headers['access-control-allow-headers'] = ALLOW_HEADERS;
      res.headers['access-control-allow-methods'] = ALLOW_METHODS;
      res.headers['access-control-max-age'] = '86400';
    }
    return res;
  }

  /** Adds the CORS headers an allowed origin gets, and `Vary: Origin` always. */
  decorate(req: AuthRequest, res: ApiResponse): void {
    if (!this.enabled) return;
    res.headers.vary = addVary(res.headers.vary, 'Origin');
    if (!this.#allowed(req)) return;
    res.headers['access-control-allow-origin'] = header(req, 'origin') as string;
    if (this.#credentials) res.headers['access-control-allow-credentials'] = 'true';
  }

  #allowed(req: AuthRequest): boolean {
    const origin = header(req, 'origin');
    return origin !== undefined && this.#origins.has(origin);
  }
}
