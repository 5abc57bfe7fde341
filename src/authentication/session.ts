import type { SetCookie } from '../http/cookie.ts';
import { type AuthRequest, cookie } from '../request.ts';
import type { SessionService } from '../sessions/session-service.ts';
import type { Authentication, Authenticator } from '../types.ts';

/**
 * DRF's `SessionAuthentication`: the user behind the `sessionid` cookie. It
 * has no challenge, so unauthenticated requests on session-first views get
 * 403; the pipeline CSRF-checks every unsafe request it authenticates.
 *
 * ```ts
 * authenticators: [new SessionAuthentication(sessions), new TokenAuthentication(tokens)]
 * ```
 */
export class SessionAuthentication implements Authenticator {
  readonly name = 'session';
  readonly enforcesCsrf = true;
  readonly #sessions: SessionService;

  constructor(sessions: SessionService) {
    this.#sessions = sessions;
  }

  async authenticate(req: AuthRequest): Promise<Authentication | null> {
    const found = await this.#sessions.resolve(cookie(req, this.#sessions.cookieName));
    return found ? { user: found.user, auth: found.session } : null;
  }

  authenticateHeader(): string | null {
    return null;
  }

  /** A `sessionid` that names no live session is deleted, as Django's SessionMiddleware does. */
  staleCookie(req: AuthRequest): SetCookie | null {
    return req.cookies.has(this.#sessions.cookieName) ? this.#sessions.deleteCookie() : null;
  }
}
