/**
 * Gatehouse: Django REST Framework's authentication system for TypeScript.
 *
 * ```ts
 * import { createGatehouse, createSqliteStores, IsAuthenticated } from 'gatehouse';
 * const gh = createGatehouse({ stores: createSqliteStores('var/db.sqlite3'), secretKey: process.env.SECRET_KEY! });
 * ```
 */

export { Accounts, type NewAccount } from './accounts.ts';
export { JWTAuthentication } from './authentication/jwt.ts';
export { SessionAuthentication } from './authentication/session.ts';
export { TokenAuthentication } from './authentication/token.ts';
export { type CsrfOptions, CsrfProtection, csrfCookie } from './csrf/check.ts';
export * from './errors.ts';
export { createGatehouse, Gatehouse, type GatehouseSettings } from './gatehouse.ts';
export { type BodyKind, type ParsedBody, parseBody } from './http/body.ts';
export { escapeHtml, renderPage, wantsHtml } from './http/browsable-api.ts';
export { clientInfo } from './http/client.ts';
export { type SetCookie, serializeCookie } from './http/cookie.ts';
export { Cors, type CorsOptions } from './http/cors.ts';
export { type CharFieldSpec, charFields } from './http/fields.ts';
export { iriToUri } from './http/iri-to-uri.ts';
export { isSafeRedirect } from './http/safe-redirect.ts';
export { addVary, toWire, type WireResponse } from './http/write.ts';
export { type Clock, systemClock } from './internal/clock.ts';
export { cryptoRandom, type Random } from './internal/random.ts';
export {
  CachedVerifier,
  type JwtAlgorithm,
  type JwtClaims,
  JwtCodec,
  JwtKeys,
  TokenError,
} from './jwt/index.ts';
export { JwtService, RefreshRefused, type TokenPair } from './jwt/jwt-service.ts';
export {
  type SecurityEvent,
  type SecurityEventName,
  type SecurityLog,
  silentLog,
} from './logging/security-log.ts';
export { PasswordHashers } from './passwords/password-hashers.ts';
export { validatePassword } from './passwords/validators.ts';
export { normalizeUsername, verifyCredentials } from './passwords/verify-credentials.ts';
export * from './permissions/index.ts';
export { checkObjectPermissions, checkPermissions, type Policy, runPipeline } from './pipeline.ts';
export {
  type AuthRequest,
  type AuthRequestInit,
  cookie,
  createAuthRequest,
  header,
  parseCookies,
} from './request.ts';
export { type ApiResponse, jsonResponse, renderJson, toResponse } from './response.ts';
export { Revocations } from './revocations.ts';
export { SessionService, type SessionSettings } from './sessions/session-service.ts';
export { createMemoryStores } from './stores/memory/index.ts';
export {
  createSqliteStores,
  type Migration,
  migrate,
  openSqliteDatabase,
  sqliteMigrations,
} from './stores/sqlite/index.ts';
export type * from './stores/types.ts';
export { UsernameTakenError } from './stores/types.ts';
export * from './throttling/index.ts';
export { isWellFormedToken, mintToken, TOKEN_PREFIX } from './tokens/opaque-token.ts';
export { TokenService, type TokenSettings } from './tokens/token-service.ts';
export type {
  Authentication,
  Authenticator,
  CsrfCheck,
  Permission,
  RequestContext,
  Throttle,
  ThrottleDecision,
} from './types.ts';
export { createView, type Handler, type View, type ViewContext, type ViewDefinition } from './view.ts';
