/**
 * E-mail: where it goes (`createEmailSender(GATEHOUSE_EMAIL_URL)`) and what
 * djoser's flows send (`messages.ts`).
 *
 * ```ts
 * import { createEmailSender, passwordResetMessage } from './email/index.ts';
 * const sender = createEmailSender('smtp://mail.example.com:587');
 * await sender.send(passwordResetMessage({ frontendUrl }, { to, uid, token, username }));
 * ```
 */
export { ConsoleEmailSender, type ConsoleEmailSenderOptions } from './console-sender.ts';
export { createEmailSender, type EmailSenderOptions } from './create-email-sender.ts';
export { EmailHealth } from './email-health.ts';
export { type ConsoleEmailUrl, type EmailUrl, parseEmailUrl, type SmtpEmailUrl } from './email-url.ts';
export { assertSendable, type EmailMessage, type EmailSender, isSingleAddress } from './message.ts';
export {
  activationLink,
  activationMessage,
  DEFAULT_FROM_EMAIL,
  emailChangeLink,
  emailChangeMessage,
  type LinkParams,
  passwordResetLink,
  passwordResetMessage,
  type SiteInfo,
} from './messages.ts';
export { SmtpEmailSender, type SmtpEmailSenderOptions } from './smtp-sender.ts';
