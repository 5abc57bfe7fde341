/**
 * Security events — who, what, when, where — for the log an operator watches
 * (LOG-01). An event never carries a secret: the session appears as the first
 * 12 hex characters of its SHA-256 (`sessionRef`), tokens by their public id,
 * never a key, a password or a cookie (LOG-02). Sinks serialise with
 * JSON.stringify, so CR/LF in a path or username cannot forge a log line.
 *
 * ```ts
 * createGatehouse({ …, securityLog: (event) => console.log(JSON.stringify(event)) });
 * ```
 */
export type SecurityEventName =
  | 'login_succeeded'
  | 'login_failed'
  | 'login_throttled'
  | 'logout'
  | 'csrf_failed'
  | 'authentication_failed'
  | 'permission_denied'
  | 'throttled'
  | 'refresh_reuse_detected'
  | 'token_created'
  | 'token_revoked'
  | 'session_revoked'
  | 'password_changed'
  | 'logout_everywhere'
  | 'account_activated'
  | 'account_deleted'
  | 'username_changed'
  | 'email_changed'
  | 'email_failed'
  | 'mfa_challenged'
  | 'mfa_verified'
  | 'mfa_failed'
  | 'mfa_enabled'
  | 'mfa_disabled'
  | 'recovery_code_used'
  | 'recovery_codes_regenerated'
  | 'passkey_added'
  | 'passkey_removed'
  | 'passkey_login_failed';

export interface SecurityEvent {
  event: SecurityEventName;
  userId: number | null;
  /** First 12 hex characters of the session key's SHA-256, when a session is involved. */
  sessionRef: string | null;
  ip: string;
  route: string;
  /** UTC, ISO 8601. */
  at: string;
  /** A short machine-readable reason (`unknown_user`, `wrong_password`, the CSRF reason…); never a secret. */
  reason?: string;
}

export type SecurityLog = (event: SecurityEvent) => void;

/** Discards events: the library's default (the reference server logs JSON lines). */
export const silentLog: SecurityLog = () => {};
