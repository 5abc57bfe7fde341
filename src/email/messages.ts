import { ConfigurationError } from '../errors.ts';
import { escapeHtml } from '../http/escape-html.ts';
import type { EmailMessage } from './message.ts';

/**
 * The five mails of djoser's account flows, with djoser 2.1's wording
 * (`djoser/templates/email/*.html`) and the contract's links. Every
 * interpolated value is HTML-escaped in the HTML part and kept to one line in
 * the text part and the subject (djoser escapes the text part too; a plain
 * text mail should not show `&lt;`). The only secret a mail carries is the
 * token inside its link.
 */

/** Django's `DEFAULT_FROM_EMAIL`. */
export const DEFAULT_FROM_EMAIL = 'webmaster@localhost';

/** What every message needs to know about the site that sends it. */
export interface SiteInfo {
  /**
   * The single-page app the links open: `https://app.example.com` (a path is
   * kept, a trailing slash dropped). `GATEHOUSE_FRONTEND_URL`, or the
   * request's own origin once its host has been checked.
   */
  frontendUrl: string;
  /** Shown in subjects and signatures; by default the frontend's host (djoser: the request's). */
  siteName?: string;
  /** The `From` header; `webmaster@localhost` by default. */
  from?: string;
}

/** A mail that carries a link: the user's `uid` (base64url of the id) and a token. */
export interface LinkParams {
  to: string;
  uid: string;
  token: string;
}

const MAX_FRONTEND_URL = 2048;
/** The longest uid or token a link carries (an e-mail change token holds the new address). */
const MAX_LINK_PART = 512;
/** uid and token travel in the URL fragment unescaped: only URL-safe characters. */
const URL_SAFE = /^[A-Za-z0-9_-]+$/;

/**
 * `<frontend>/#/activate/<uid>/<token>` — djoser's documented `ACTIVATION_URL`.
 *
 * ```ts
 * activationLink('https://app.example.com', 'MQ', 'dj53l6-bc56…'); // 'https://app.example.com/#/activate/MQ/dj53l6-bc56…'
 * ```
 */
export function activationLink(frontendUrl: string, uid: string, token: string): string {
  return `${frontendBase(frontendUrl)}/#/activate/${urlSafe(uid, 'uid')}/${urlSafe(token, 'token')}`;
}

/**
 * `<frontend>/#/password/reset/confirm/<uid>/<token>` — djoser's documented
 * `PASSWORD_RESET_CONFIRM_URL`.
 *
 * ```ts
 * passwordResetLink('https://app.example.com', 'MQ', 'dj53l6-bc56…');
 * ```
 */
export function passwordResetLink(frontendUrl: string, uid: string, token: string): string {
  return `${frontendBase(frontendUrl)}/#/password/reset/confirm/${urlSafe(uid, 'uid')}/${urlSafe(token, 'token')}`;
}

/**
 * `<frontend>/#/email/confirm/<uid>/<token>` — a Gatehouse addition: the
 * link that makes a new address the account's own.
 *
 * ```ts
 * emailChangeLink('https://app.example.com', 'MQ', 'c6lvsw-01c0…-YWxpY2VAZXhhbXBsZS5jb20');
 * ```
 */
export function emailChangeLink(frontendUrl: string, uid: string, token: string): string {
  return `${frontendBase(frontendUrl)}/#/email/confirm/${urlSafe(uid, 'uid')}/${urlSafe(token, 'token')}`;
}

/**
 * "Account activation on <site>": the link that activates a new account.
 *
 * ```ts
 * await sender.send(activationMessage({ frontendUrl: 'https://app.example.com' }, { to, uid, token }));
 * ```
 */
export function activationMessage(site: SiteInfo, params: LinkParams): EmailMessage {
  const link = activationLink(site.frontendUrl, params.uid, params.token);
  const name = siteName(site);
  return build(site, params.to, `Account activation on ${name}`, [
    [`You're receiving this email because you need to finish activation process on ${name}.`],
    ['Please go to the following page to activate account:', { link }],
    ['Thanks for using our site!'],
    [`The ${name} team`],
  ]);
}

/**
 * "Password reset on <site>": the reset link, and the username "in case
 * you've forgotten" (djoser's mail; a username is not a secret).
 *
 * ```ts
 * await sender.send(passwordResetMessage(site, { to, uid, token, username: 'alice' }));
 * ```
 */
export function passwordResetMessage(
  site: SiteInfo,
  params: LinkParams & { username: string },
): EmailMessage {
  const link = passwordResetLink(site.frontendUrl, params.uid, params.token);
  const name = siteName(site);
  return build(site, params.to, `Password reset on ${name}`, [
    [`You're receiving this email because you requested a password reset for your user account at ${name}.`],
    [
      'Please go to the following page and choose a new password:',
      { link, bare: true },
      { label: "Your username, in case you've forgotten:", bold: params.username },
    ],
    ['Thanks for using our site!'],
    [`The ${name} team`],
  ]);
}

/**
 * "Confirm your new email address on <site>": sent to the new address when
 * a user changes theirs (`PUT`/`PATCH /auth/users/me/`); the account keeps
 * its old address until this link is followed (a Gatehouse addition, where
 * djoser deactivates the account and mails an activation link).
 *
 * ```ts
 * await sender.send(emailChangeMessage(site, { to: newEmail, uid, token, username: 'alice' }));
 * ```
 */
export function emailChangeMessage(site: SiteInfo, params: LinkParams & { username: string }): EmailMessage {
  const link = emailChangeLink(site.frontendUrl, params.uid, params.token);
  const name = siteName(site);
  return build(site, params.to, `Confirm your new email address on ${name}`, [
    [`You're receiving this email because you asked to use this address for your user account at ${name}.`],
    [
      'Please go to the following page to confirm it:',
      { link },
      { label: 'Your username:', bold: params.username },
    ],
    ['If you did not ask for this, ignore this email: nothing changes until the link is followed.'],
    ['Thanks for using our site!'],
    [`The ${name} team`],
  ]);
}

/** A line of a paragraph: text, a link (in its own `<p>` unless bare), or a label and a bold value. */
type Line = string | { link: string; bare?: boolean } | { label: string; bold: string };

/**
 * Renders djoser's templates: paragraphs separated by a blank line; in HTML
 * each text line is a `<p>`, a link is `<a href="L">L</a>`.
 */
function build(site: SiteInfo, to: string, subject: string, paragraphs: Line[][]): EmailMessage {
  const text = paragraphs.map((lines) => lines.map(textLine).join('\n')).join('\n\n');
  const html = paragraphs.map((lines) => lines.map(htmlLine).join('\n')).join('\n\n');
  return { to, from: site.from ?? DEFAULT_FROM_EMAIL, subject: oneLine(subject), text, html };
}

function textLine(line: Line): string {
  if (typeof line === 'string') return oneLine(line);
  if ('link' in line) return line.link;
  return `${line.label} ${oneLine(line.bold)}`;
}

function htmlLine(line: Line): string {
  if (typeof line === 'string') return `<p>${escapeHtml(oneLine(line))}</p>`;
  if ('link' in line) {
    const anchor = `<a href="${escapeHtml(line.link)}">${escapeHtml(line.link)}</a>`;
    return line.bare ? anchor : `<p>${anchor}</p>`;
  }
  return `<p>${escapeHtml(line.label)} <b>${escapeHtml(oneLine(line.bold))}</b></p>`;
}

/** Control characters (line breaks included) become spaces: a value never starts a line or a header. */
function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

function siteName(site: SiteInfo): string {
  return site.siteName ?? new URL(frontendBase(site.frontendUrl)).host;
}

function frontendBase(frontendUrl: string): string {
  if (typeof frontendUrl !== 'string' || frontendUrl.length > MAX_FRONTEND_URL)
    throw new ConfigurationError('frontend URL must be an http(s) URL of at most 2048 characters');
  if (/[?#\s]/.test(frontendUrl))
    throw new ConfigurationError('frontend URL must not have a query, a fragment or spaces');
  let url: URL;
  try {
    url = new URL(frontendUrl);
  } catch {
    throw new ConfigurationError('frontend URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigurationError('frontend URL must start with https:// or http://');
  if (url.username !== '' || url.password !== '')
    throw new ConfigurationError('frontend URL must not have credentials');
  // Trailing slashes off with a loop: `/+$` backtracks quadratically on a run of slashes.
  let end = url.href.length;
  while (end > 0 && url.href.charCodeAt(end - 1) === 0x2f) end--;
  return url.href.slice(0, end);
}

function urlSafe(value: string, what: string): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > MAX_LINK_PART ||
    !URL_SAFE.test(value)
  )
    throw new TypeError(`email link: the ${what} must be base64url characters`);
  return value;
}
