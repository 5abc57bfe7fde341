import { hostname } from 'node:os';
import { Writable } from 'node:stream';
import { emailProblems } from '../../accounts/user-fields.ts';
import { createEmailSender } from '../../email/create-email-sender.ts';
import { parseEmailUrl } from '../../email/email-url.ts';
import { isSingleAddress } from '../../email/message.ts';
import { quote, UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';

/** Python's `str()` of an aware UTC datetime: `2026-11-22 12:00:00.123000+00:00`. */
function pythonNow(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-22T12:00:00.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000+00:00`;
}

/** `gatehouse sendtestemail alice@example.com`: Django's `sendtestemail`, to check the mail settings. */
export const sendtestemail = defineCommand({
  name: 'sendtestemail',
  summary: 'Send a test e-mail to ADDRESS, to check GATEHOUSE_EMAIL_URL and GATEHOUSE_EMAIL_FROM',
  description: `Sends one message, as Django's sendtestemail does:

  Subject: Test email from HOSTNAME on DATE
  If you're reading this, it was successful.

from GATEHOUSE_EMAIL_FROM through GATEHOUSE_EMAIL_URL (console: writes it to standard output),
and prints where it went. A mail server that is down, refuses the login or the message: exit 1,
with the server's reason (never its password). The database is not opened.`,
  args: { positionals: ['ADDRESS'], options: {} },
  async run({ positionals: [address] }, ctx) {
    if (!isSingleAddress(address) || emailProblems(address).length > 0)
      throw new UsageError(`ADDRESS: expected one e-mail address, got ${quote(address)}`);
    const config = ctx.config();
    // The console backend writes where the command writes, so the message is the command's output.
    const stream = new Writable({
      write(chunk, _encoding, done) {
        ctx.io.stdout.write(String(chunk));
        done();
      },
    });
    const sender = createEmailSender(config.emailUrl, { stream });
    try {
      await sender.send({
        to: address,
        from: config.emailFrom,
        subject: `Test email from ${hostname()} on ${pythonNow(Date.now())}`,
        text: "If you're reading this, it was successful.",
        html: '<p>If you&#39;re reading this, it was successful.</p>',
      });
    } finally {
      await sender.close();
    }
    ctx.print(`Sent a test email to ${address} through ${parseEmailUrl(config.emailUrl).display}`);
  },
});
