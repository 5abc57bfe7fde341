import { AuthenticationFailed } from '../errors.ts';
import type { JwtService } from '../jwt/jwt-service.ts';
import { TokenError } from '../jwt/token-error.ts';
import type { AuthRequest } from '../request.ts';
import type { UserStore } from '../stores/types.ts';
import type { Authentication, Authenticator } from '../types.ts';
import { authorizationParts } from './authorization-header.ts';

/**
 * simplejwt's `JWTAuthentication`: `Authorization: Bearer <access>` (keyword
 * case-sensitive), simplejwt's bodies with `code`, challenge
 * `WWW-Authenticate: Bearer realm="api"`. Beyond simplejwt, an access token
 * issued before the user's "not before" is refused.
 *
 * ```ts
 * new JWTAuthentication(jwtService, stores.users)
 * ```
 */
export class JWTAuthentication implements Authenticator {
  readonly name = 'jwt';
  readonly #jwt: JwtService;
  readonly #users: UserStore;

  constructor(jwt: JwtService, users: UserStore) {
    this.#jwt = jwt;
    this.#users = users;
  }

  async authenticate(req: AuthRequest): Promise<Authentication | null> {
    const parts = authorizationParts(req);
    if (parts.length === 0 || parts[0] !== 'Bearer') return null;
    if (parts.length !== 2) {
      throw new AuthenticationFailed(
        {
          detail: 'Authorization header must contain two space-delimited values',
          code: 'bad_authorization_header',
        },
        'bad_authorization_header',
      );
    }
    let claims: Awaited<ReturnType<JwtService['verifyAccess']>>;
    try {
      claims = await this.#jwt.verifyAccess(parts[1]);
    } catch (error) {
      if (error instanceof TokenError) throw invalid(error.message);
      throw error;
    }
    if (claims.user_id === undefined || !/^\d{1,15}$/.test(claims.user_id)) {
      throw failed('Token contained no recognizable user identification', 'token_not_valid');
    }
    const user = await this.#users.getById(Number(claims.user_id));
    if (!user) throw failed('User not found', 'user_not_found');
    if (!user.isActive) throw failed('User is inactive', 'user_inactive');
    if (this.#jwt.revokedForUser(claims, user)) throw invalid('Token is invalid');
    return { user, auth: claims };
  }

  authenticateHeader(): string {
    return 'Bearer realm="api"';
  }
}

function failed(detail: string, code: string): AuthenticationFailed {
  return new AuthenticationFailed({ detail, code }, code);
}

function invalid(message: string): AuthenticationFailed {
  return new AuthenticationFailed(
    {
      detail: 'Given token not valid for any token type',
      code: 'token_not_valid',
      messages: [{ token_class: 'AccessToken', token_type: 'access', message }],
    },
    'token_not_valid',
  );
}
