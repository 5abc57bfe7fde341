import { ConsoleEmailSender, type ConsoleEmailSenderOptions } from './console-sender.ts';
import { parseEmailUrl } from './email-url.ts';
import type { EmailSender } from './message.ts';
import { SmtpEmailSender, type SmtpEmailSenderOptions } from './smtp-sender.ts';

export type EmailSenderOptions = ConsoleEmailSenderOptions & SmtpEmailSenderOptions;

/**
 * The sender `GATEHOUSE_EMAIL_URL` names: `console:` writes to standard
 * output (or `options.stream`), `smtp://…` and `smtps://…` send through a
 * pooled SMTP connection. Throws `ConfigurationError` for a bad URL, at
 * start-up; nothing connects until the first message.
 *
 * ```ts
 * const sender = createEmailSender(process.env.GATEHOUSE_EMAIL_URL ?? 'console:');
 * ```
 */
export function createEmailSender(url: string, options: EmailSenderOptions = {}): EmailSender {
  const parsed = parseEmailUrl(url);
  if (parsed.scheme === 'console') return new ConsoleEmailSender(options);
  return new SmtpEmailSender(parsed, options);
}
