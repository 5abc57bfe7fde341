import { AuthenticationFailed } from '../errors.ts';
import type { AuthRequest } from '../request.ts';
import type { TokenService } from '../tokens/token-service.ts';
import type { Authentication, Authenticator } from '../types.ts';
import { authorizationParts, decodesAsUtf8 } from './authorization-header.ts';

/**
 * DRF's `TokenAuthentication`: `Authorization: Token <key>`, keyword compared
 * case-insensitively, DRF's exact messages, challenge `WWW-Authenticate: Token`.
 *
 * ```ts
 * new TokenAuthentication(tokens)            // keyword 'Token'
 * ```
 */
export class TokenAuthentication implements Authenticator {
  readonly name = 'token';
  readonly keyword: string;
  readonly #tokens: TokenService;

  constructor(tokens: TokenService, options: { keyword?: string } = {}) {
    this.#tokens = tokens;
    this.keyword = options.keyword ?? 'Token';
  }

  async authenticate(req: AuthRequest): Promise<Authentication | null> {
    const parts = authorizationParts(req);
    if (parts.length === 0 || parts[0].toLowerCase() !== this.keyword.toLowerCase()) return null;
    if (parts.length === 1) throw new AuthenticationFailed('Invalid token header. No credentials provided.');
    if (parts.length > 2)
      throw new AuthenticationFailed('Invalid token header. Token string should not contain spaces.');
    if (!decodesAsUtf8(parts[1])) {
      throw new AuthenticationFailed(
        'Invalid token header. Token string should not contain invalid characters.',
      );
    }
    const found = await this.#tokens.resolve(parts[1]);
    if (!found) throw new AuthenticationFailed('Invalid token.');
    return { user: found.user, auth: found.token };
  }

  authenticateHeader(): string {
    return this.keyword;
  }
}
