/**
 * Gatehouse: Django REST Framework's authentication system for TypeScript.
 *
 * ```ts
 * import { createGatehouse, createSqliteStores, IsAuthenticated } from 'gatehouse';
 * const gh = createGatehouse({ stores: createSqliteStores('var/db.sqlite3'), secretKey: process.env.SECRET_KEY! });
 * ```
 */
export * from './errors.ts';
export { type AuthRequest, type AuthRequestInit, createAuthRequest, header, cookie, parseCookies } from './request.ts';
export { type ApiResponse, jsonResponse, renderJson, toResponse } from './response.ts';
export type { Authentication, Authenticator, CsrfCheck, Permission, RequestContext, Throttle, ThrottleDecision } from './types.ts';
export { type Policy, runPipeline, checkPermissions, checkObjectPermissions } from './pipeline.ts';
export { createView, type Handler, type View, type ViewContext, type ViewDefinition } from './view.ts';
export { Gatehouse, createGatehouse, type GatehouseSettings } from './gatehouse.ts';
export { Accounts, type NewAccount } from './accounts.ts';
export { Revocations } from './revocations.ts';

export * from './permissions/index.ts';
export * from './throttling/index.ts';
export { SessionAuthentication } from './authentication/session.ts';
export { TokenAuthentication } from './authentication/token.ts';
export { SessionService, type SessionSettings } from './sessions/session-service.ts';
export { TokenService, type TokenSettings } from './tokens/token-service.ts';
export { mintToken, isWellFormedToken, TOKEN_PREFIX } from './tokens/opaque-token.ts';
export { CsrfProtection, csrfCookie, type CsrfOptions } from './csrf/check.ts';
export { PasswordHashers } from './passwords/password-hashers.ts';
export { verifyCredentials, normalizeUsername } from './passwords/verify-credentials.ts';
export { validatePassword } from './passwords/validators.ts';

export { parseBody, type ParsedBody, type BodyKind } from './http/body.ts';
export { charFields, type CharFieldSpec } from './http/fields.ts';
export { serializeCookie, type SetCookie } from './http/cookie.ts';
export { clientInfo } from './http/client.ts';
export { toWire, addVary, type WireResponse } from './http/write.ts';
export { Cors, type CorsOptions } from './http/cors.ts';
export { wantsHtml, renderPage, escapeHtml } from './http/browsable-api.ts';
export { isSafeRedirect } from './http/safe-redirect.ts';

export type * from './stores/types.ts';
export { UsernameTakenError } from './stores/types.ts';
export { createMemoryStores } from './stores/memory/index.ts';
export { createSqliteStores, openSqliteDatabase, migrate, sqliteMigrations, type Migration } from './stores/sqlite/index.ts';
export { type Clock, systemClock } from './internal/clock.ts';
export { type Random, cryptoRandom } from './internal/random.ts';
export { JWTAuthentication } from './authentication/jwt.ts';
export { JwtService, RefreshRefused, type TokenPair } from './jwt/jwt-service.ts';
export { JwtCodec, JwtKeys, CachedVerifier, TokenError, type JwtClaims, type JwtAlgorithm } from './jwt/index.ts';
