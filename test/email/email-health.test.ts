import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ConsoleEmailSender } from '../../src/email/console-sender.ts';
import { EmailHealth } from '../../src/email/email-health.ts';
import { parseEmailUrl, type SmtpEmailUrl } from '../../src/email/email-url.ts';
import { SmtpEmailSender } from '../../src/email/smtp-sender.ts';
import { EmailUnavailableError } from '../../src/errors.ts';
import { createFakeClock } from '../../src/testing/fake-clock.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

const closing: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closing.reverse()) await close();
});

function smtpSender(port: number): SmtpEmailSender {
  const sender = new SmtpEmailSender(parseEmailUrl(`smtp://127.0.0.1:${port}`) as SmtpEmailUrl);
  closing.push(() => sender.close());
  return sender;
}

test('a mail server that answers is healthy: verify() connects and sends nothing', async () => {
  const smtp = await startSmtpServer({ starttls: false });
  closing.push(() => smtp.stop());
  const health = new EmailHealth(smtpSender(smtp.port));
  await health.check();
  assert.equal(smtp.connections(), 1);
  assert.equal(smtp.messages.length, 0);
});

test('a mail server that is down fails the check with EmailUnavailableError (503)', async () => {
  const smtp = await startSmtpServer({ starttls: false });
  await smtp.stop();
  const health = new EmailHealth(smtpSender(smtp.port));
  await assert.rejects(health.check(), (error) => error instanceof EmailUnavailableError);
});

test('one probe per window: concurrent and repeated checks share it, the next window probes again', async () => {
  const smtp = await startSmtpServer({ starttls: false });
  closing.push(() => smtp.stop());
  const clock = createFakeClock();
  const health = new EmailHealth(smtpSender(smtp.port), { ttlMs: 5_000, clock });
  await Promise.all(Array.from({ length: 10 }, () => health.check()));
  await health.check();
  assert.equal(smtp.connections(), 1);
  clock.advance(5_000);
  await health.check();
  assert.equal(smtp.connections(), 2);
});

test('a failure stands for its window; a send that went through corrects it at once', async () => {
  const smtp = await startSmtpServer({ starttls: false });
  const port = smtp.port;
  await smtp.stop();
  const clock = createFakeClock();
  const health = new EmailHealth(smtpSender(port), { clock });
  await assert.rejects(health.check(), EmailUnavailableError);
  clock.advance(4_999);
  await assert.rejects(health.check(), EmailUnavailableError);
  health.report();
  await health.check();
});

test('the console is always healthy', async () => {
  await new EmailHealth(new ConsoleEmailSender()).check();
});
