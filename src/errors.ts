/**
 * DRF's exception family, with DRF's status codes, default `detail` strings and
 * codes. One renderer (`toResponse` in response.ts) turns any of them into the
 * wire shape DRF's `exception_handler` produces:
 *
 * ```ts
 * throw new NotAuthenticated(); // 401/403 {"detail":"Authentication credentials were not provided."}
 * throw new ValidationError({ username: ['This field is required.'] });
 * ```
 */

export type ErrorBody = Record<string, unknown> | unknown[];

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The body DRF would send: `{"detail": …}` for simple errors, the dict or list itself otherwise. */
  readonly body: ErrorBody;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    detail: string | ErrorBody,
    code: string,
    headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.body = typeof detail === 'string' ? { detail } : detail;
    this.headers = headers;
  }

  /** The `detail` text when the body has one. */
  get detail(): string | undefined {
    const body = this.body as Record<string, unknown>;
    return typeof body.detail === 'string' ? body.detail : undefined;
  }
}

/** 401, or 403 when the view's first authenticator has no challenge (DRF's rule). */
export class AuthenticationFailed extends ApiError {
  constructor(
    detail: string | ErrorBody = 'Incorrect authentication credentials.',
    code = 'authentication_failed',
  ) {
    super(401, detail, code);
  }
}

export class NotAuthenticated extends ApiError {
  constructor(detail: string = 'Authentication credentials were not provided.', code = 'not_authenticated') {
    super(401, detail, code);
  }
}

export class PermissionDenied extends ApiError {
  constructor(
    detail: string = 'You do not have permission to perform this action.',
    code = 'permission_denied',
  ) {
    super(403, detail, code);
  }
}

/** DRF raises `PermissionDenied("CSRF Failed: <reason>")`; the reason is Django's. */
export class CsrfFailed extends PermissionDenied {
  readonly reason: string;
  constructor(reason: string) {
    super(`CSRF Failed: ${reason}`, 'csrf_failed');
    this.reason = reason;
  }
}

export class NotFound extends ApiError {
  constructor(detail = 'Not found.') {
    super(404, detail, 'not_found');
  }
}

export class MethodNotAllowed extends ApiError {
  constructor(method: string, allow: readonly string[]) {
    super(405, `Method "${method}" not allowed.`, 'method_not_allowed', { allow: allow.join(', ') });
  }
}

export class NotAcceptable extends ApiError {
  constructor() {
    super(406, 'Could not satisfy the request Accept header.', 'not_acceptable');
  }
}

export class UnsupportedMediaType extends ApiError {
  constructor(mediaType: string) {
    super(415, `Unsupported media type "${mediaType}" in request.`, 'unsupported_media_type');
  }
}

export class PayloadTooLarge extends ApiError {
  constructor() {
    super(413, 'Request body too large.', 'payload_too_large');
  }
}

export class ParseError extends ApiError {
  constructor(detail = 'Malformed request.') {
    super(400, detail, 'parse_error');
  }
}

/** Field errors: `{"field":["msg"]}`, `{"non_field_errors":[…]}`, or a list. */
export class ValidationError extends ApiError {
  constructor(errors: Record<string, string[]> | string[]) {
    super(400, errors, 'invalid');
  }
}

/**
 * 429 with `Retry-After` and DRF's wording: `Request was throttled. Expected
 * available in 60 seconds.` (`1 second.` when the wait is one second).
 */
export class Throttled extends ApiError {
  readonly wait: number | null;
  constructor(wait: number | null) {
    const seconds = wait === null ? null : Math.ceil(wait);
    const detail =
      seconds === null
        ? 'Request was throttled.'
        : `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`;
    super(429, detail, 'throttled', seconds ? { 'retry-after': String(seconds) } : {});
    this.wait = seconds;
  }
}

/** A store that is down: the request fails closed. */
export class ServiceUnavailable extends ApiError {
  constructor(detail = 'Service temporarily unavailable.') {
    super(503, detail, 'service_unavailable');
  }
}

/** A programmer mistake found at start-up: never turned into a 4xx. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** Thrown by stores when the backing service cannot answer; rendered as 503. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Thrown by an e-mail sender when the mail server is down, refuses the
 * connection, times out or rejects the message; rendered as 503, as a store
 * outage is. Its message names the server, never a password.
 *
 * ```ts
 * throw new EmailUnavailableError('smtp://127.0.0.1:25: ESOCKET connect ECONNREFUSED 127.0.0.1:25', { cause });
 * ```
 */
export class EmailUnavailableError extends Error {
  /**
   * True when the server is up but refused this one message (a recipient it
   * does not know, content it rejects): the next message may well go out.
   */
  readonly messageRefused: boolean;

  constructor(message: string, options?: { cause?: unknown; messageRefused?: boolean }) {
    super(message, { cause: options?.cause });
    this.name = 'EmailUnavailableError';
    this.messageRefused = options?.messageRefused ?? false;
  }
}
