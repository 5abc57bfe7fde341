/**
 * One e-mail: a single recipient, both bodies. Built by `messages.ts`, sent
 * by an {@link EmailSender}.
 *
 * ```ts
 * const message: EmailMessage = {
 *   to: 'alice@example.com', from: 'webmaster@localhost',
 *   subject: 'Password reset on example.com', text: '…', html: '<p>…</p>',
 * };
 * ```
 */
export interface EmailMessage {
  /** One address (`alice@example.com`), never a list: one user, one mail. */
  to: string;
  /** `webmaster@localhost` or `Example <noreply@example.com>`. */
  from: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Where mail goes: the console, an SMTP server, or anything with `send`.
 * `send` resolves once the message was handed over (written, or accepted by
 * the server) and rejects with `EmailUnavailableError` when it could not be.
 *
 * ```ts
 * await sender.send(passwordResetMessage(site, { to, uid, token, username }));
 * ```
 */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
  /**
   * Whether mail can go out now (for SMTP: connect, greet, upgrade and log
   * in, then quit); rejects with `EmailUnavailableError` when not. A sender
   * without it is taken to be always ready.
   */
  verify?(): Promise<void>;
  /** Releases connections (the SMTP pool); sending afterwards is an error. */
  close(): Promise<void>;
}

/** Longest address SMTP carries (RFC 5321's path limit less the brackets). */
const MAX_ADDRESS = 254;
const MAX_SUBJECT = 998;
/** Characters an unquoted address never holds; a comma or `<` would add a recipient. */
const ADDRESS_FORBIDDEN = /[\u0000-\u0020\u007f,;<>()[\]"\\]/;
/** Line breaks and the other C0/C1 controls: one of these in a header starts a new header. */
const HEADER_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Whether `value` is exactly one plain address (`local@domain`): what a
 * `to` must be, so that no field a user typed can add a recipient or a header.
 *
 * ```ts
 * isSingleAddress('alice@example.com'); // true
 * isSingleAddress('alice@example.com, eve@evil.test'); // false
 * ```
 */
export function isSingleAddress(value: string): boolean {
  if (typeof value !== 'string' || value.length > MAX_ADDRESS) return false;
  if (ADDRESS_FORBIDDEN.test(value)) return false;
  const at = value.lastIndexOf('@');
  return at > 0 && at < value.length - 1 && value.indexOf('@') === at;
}

/**
 * Throws a `TypeError` when a message would smuggle a header or a recipient
 * (CR/LF in the subject, a list in `to`) or lacks a body. Senders call it
 * before anything leaves the process; `messages.ts` never builds such a
 * message, so reaching it is a programmer error (a 500), not bad input.
 *
 * ```ts
 * assertSendable({ ...message, subject: 'Hi\r\nBcc: eve@evil.test' }); // throws
 * ```
 */
export function assertSendable(message: EmailMessage): void {
  if (!isSingleAddress(message.to)) throw new TypeError('email: "to" must be one plain address');
  const from = typeof message.from === 'string' ? message.from : '';
  if (from.length === 0 || from.length > MAX_SUBJECT || HEADER_FORBIDDEN.test(from))
    throw new TypeError('email: "from" must be one line');
  const subject = typeof message.subject === 'string' ? message.subject : '';
  if (subject.length === 0 || subject.length > MAX_SUBJECT || HEADER_FORBIDDEN.test(subject))
    throw new TypeError('email: the subject must be one non-empty line');
  if (typeof message.text !== 'string' || typeof message.html !== 'string')
    throw new TypeError('email: a message has a text and an HTML body');
}
