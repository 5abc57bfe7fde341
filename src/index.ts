/**
 * gatehouse-auth: Django REST Framework's authentication system for
 * TypeScript — sessions with Django's CSRF, DRF tokens, simplejwt's JWT,
 * DRF's permissions and throttles — for Express, Fastify, Hono and node:http.
 *
 * ```ts
 * import { IsAuthenticated, loadConfig, openGatehouse } from 'gatehouse-auth';
 * import { mount, protect } from 'gatehouse-auth/express';
 *
 * const gh = await openGatehouse(loadConfig());   // DATABASE_URL, SECRET_KEY, GATEHOUSE_* …
 * mount(app, gh.urls());                           // every endpoint, one call
 * app.get('/api/notes/', protect(gh, { permissions: [IsAuthenticated] }), handler);
 * ```
 */

// The composition root and its configuration.
export type { AccountFlows } from './accounts/account-flows.ts';
export type { AccountMailer } from './accounts/account-mailer.ts';
export type { AccountTokens } from './accounts/account-tokens.ts';
export { decodeUid, encodeUid } from './accounts/uidb64.ts';
export { type Config, loadConfig } from './config.ts';
// Account mail: where it goes (GATEHOUSE_EMAIL_URL) and what djoser's flows send.
export { createEmailSender, type EmailMessage, type EmailSender } from './email/index.ts';
// Errors, with DRF's statuses and texts.
export * from './errors.ts';
export {
  type AuthenticatorName,
  createGatehouse,
  type DefaultPolicy,
  Gatehouse,
  type GatehouseSettings,
} from './gatehouse.ts';
export type { BodyKind } from './http/body.ts';
export type { SetCookie } from './http/cookie.ts';
export type { CorsOptions } from './http/cors.ts';
export { escapeHtml } from './http/escape-html.ts';
export { type CharFieldSpec, charFields } from './http/fields.ts';
export { iriToUri } from './http/iri-to-uri.ts';
export { isSafeRedirect } from './http/safe-redirect.ts';
export type { Clock } from './internal/clock.ts';
export type { Random } from './internal/random.ts';
export type { JwtClaims } from './jwt/claims.ts';
export type { TokenPair } from './jwt/jwt-service.ts';
// JWT keys (HS256 by default; EdDSA and ES256 with rotation) and the security log.
export { type JwtAlgorithm, JwtKeys, type PublicJwk } from './jwt/keys.ts';
export type { Origin } from './logging/security-events.ts';
export type { SecurityEvent, SecurityEventName, SecurityLog } from './logging/security-log.ts';
// Second factors and passkeys: the services behind gh.mfa and gh.passkeys.
export type { MfaRequirement } from './mfa/mfa-required.ts';
export type { Passkeys } from './mfa/passkeys.ts';
export type { RelyingParty } from './mfa/relying-party.ts';
export type { SecondFactors } from './mfa/second-factors.ts';
export { type OpenOptions, openGatehouse } from './open.ts';
// DRF's policy classes.
export * from './permissions/index.ts';
export type { Policy } from './pipeline.ts';
// Requests, for custom adapters and tests.
export { type AuthRequest, type AuthRequestInit, cookie, createAuthRequest, header } from './request.ts';
export { type ApiResponse, jsonResponse, toResponse } from './response.ts';
// A start that fails says why in one line (exit 2 for a setting, 1 for a service that does not answer).
export { creationNotices, exitOnStartupError } from './startup.ts';
// Stores: the embedded ones here; PostgreSQL, Redis and the cache in their subpaths.
export { createMemoryStores } from './stores/memory/index.ts';
export { createSqliteStores, type SqliteStoresOptions } from './stores/sqlite/index.ts';
export type * from './stores/types.ts';
export { UsernameTakenError } from './stores/types.ts';
export { AnonRateThrottle, ScopedRateThrottle, UserRateThrottle } from './throttling/index.ts';
export type {
  Authentication,
  Authenticator,
  CsrfCheck,
  Gate,
  Permission,
  RequestContext,
  Throttle,
  ThrottleDecision,
  UserOf,
  UserPermission,
} from './types.ts';
// Views: the library's endpoints, and your own.
export type { Handler, Renderer, View, ViewContext, ViewDefinition, ViewMethod } from './view.ts';
export { NO_STORE, type Route, type RouteGroup, type UrlOptions } from './views/index.ts';
// Logins: the one place a login is completed (a second step when the user has one), for your own login views.
export {
  clearBindingCookie,
  completeLogin,
  issueLogin,
  type LoginKind,
  MFA_BINDING_COOKIE,
  requestBinding,
  startSecondStep,
} from './views/login.ts';
export { passkeyJson } from './views/passkeys.ts';
export { drfDate, sessionJson, tokenJson, userJson } from './views/serialize.ts';
