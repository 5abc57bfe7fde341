import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { createEmailSender } from '../../src/email/create-email-sender.ts';
import { parseEmailUrl, type SmtpEmailUrl } from '../../src/email/email-url.ts';
import type { EmailMessage } from '../../src/email/message.ts';
import { passwordResetMessage } from '../../src/email/messages.ts';
import { SmtpEmailSender, type SmtpEmailSenderOptions } from '../../src/email/smtp-sender.ts';
import { EmailUnavailableError } from '../../src/errors.ts';
import { renderJson, toResponse } from '../../src/response.ts';
import { type RunningSmtpServer, startSilentServer, startSmtpServer } from '../helpers/smtp.ts';

const token = 'dj53l6-bc563ce02463323fda58aa6bc97721ec';
const message: EmailMessage = passwordResetMessage(
  { frontendUrl: 'https://app.example.com', from: 'Gatehouse <noreply@example.com>' },
  { to: 'alice@example.com', uid: 'MQ', token, username: 'alice' },
);

const b64 = (text: string) => Buffer.from(text).toString('base64');

const open: { close(): Promise<void> }[] = [];
after(async () => {
  for (const item of open.reverse()) await item.close();
});

async function server(options: Parameters<typeof startSmtpServer>[0] = {}): Promise<RunningSmtpServer> {
  const running = await startSmtpServer(options);
  open.push({ close: () => running.stop() });
  return running;
}

function sender(url: string, options: SmtpEmailSenderOptions = {}): SmtpEmailSender {
  const created = new SmtpEmailSender(parseEmailUrl(url) as SmtpEmailUrl, options);
  open.push(created);
  return created;
}

async function rejectsUnavailable(promise: Promise<void>, pattern?: RegExp): Promise<EmailUnavailableError> {
  let caught: unknown;
  await assert.rejects(promise, (error) => {
    caught = error;
    return error instanceof EmailUnavailableError;
  });
  if (pattern) assert.match((caught as Error).message, pattern);
  return caught as EmailUnavailableError;
}

describe('sending through a real SMTP server', () => {
  test('plain SMTP delivers the message: envelope, headers, text and HTML parts', async () => {
    const smtp = await server({ starttls: false });
    await sender(`smtp://127.0.0.1:${smtp.port}`).send(message);
    assert.equal(smtp.messages.length, 1);
    const [mail] = smtp.messages;
    assert.equal(mail.secure, false);
    assert.equal(mail.mailFrom, 'noreply@example.com');
    assert.deepEqual(mail.rcptTo, ['alice@example.com']);
    assert.equal(mail.headers.from, 'Gatehouse <noreply@example.com>');
    assert.equal(mail.headers.to, 'alice@example.com');
    assert.equal(mail.subject, 'Password reset on app.example.com');
    assert.match(mail.headers['content-type'], /^multipart\/alternative; boundary=/);
    assert.equal(mail.text, message.text);
    assert.equal(mail.html, message.html);
    assert.match(
      mail.text,
      /https:\/\/app\.example\.com\/#\/password\/reset\/confirm\/MQ\/dj53l6-bc563ce02463323fda58aa6bc97721ec/,
    );
  });

  test('smtp:// upgrades with STARTTLS when the server offers it', async () => {
    const smtp = await server();
    await sender(`smtp://127.0.0.1:${smtp.port}`, { tls: { ca: smtp.ca } }).send(message);
    assert.equal(smtp.messages[0].secure, true);
    assert.equal(smtp.messages[0].text, message.text);
  });

  test('?starttls=never stays in plain text even when STARTTLS is offered', async () => {
    const smtp = await server();
    await sender(`smtp://127.0.0.1:${smtp.port}?starttls=never`).send(message);
    assert.equal(smtp.messages[0].secure, false);
  });

  test('?starttls=required refuses a server that does not offer STARTTLS', async () => {
    const smtp = await server({ starttls: false });
    await rejectsUnavailable(sender(`smtp://127.0.0.1:${smtp.port}?starttls=required`).send(message));
    assert.equal(smtp.messages.length, 0);
  });

  test('smtps:// speaks TLS from the first byte', async () => {
    const smtp = await server({ secure: true });
    await sender(`smtps://127.0.0.1:${smtp.port}`, { tls: { ca: smtp.ca } }).send(message);
    assert.equal(smtp.messages[0].secure, true);
    assert.equal(smtp.messages[0].html, message.html);
  });

  test('a certificate the client does not trust stops the mail (verification stays on)', async () => {
    const smtp = await server({ secure: true });
    await rejectsUnavailable(sender(`smtps://127.0.0.1:${smtp.port}`).send(message), /certificate/);
    const plain = await server();
    await rejectsUnavailable(sender(`smtp://127.0.0.1:${plain.port}`).send(message), /certificate/);
    assert.equal(smtp.messages.length + plain.messages.length, 0);
  });

  test('AUTH with the URL credentials, after STARTTLS', async () => {
    const smtp = await server({ auth: { user: 'mailer@example.com', pass: 'p@ss:w0rd' } });
    const url = `smtp://mailer%40example.com:p%40ss%3Aw0rd@127.0.0.1:${smtp.port}`;
    await sender(url, { tls: { ca: smtp.ca } }).send(message);
    assert.equal(smtp.messages[0].user, 'mailer@example.com');
    assert.equal(smtp.messages[0].secure, true);
  });

  test('AUTH over smtps://', async () => {
    const smtp = await server({ secure: true, auth: { user: 'mailer', pass: 's3cret' } });
    await sender(`smtps://mailer:s3cret@127.0.0.1:${smtp.port}`, { tls: { ca: smtp.ca } }).send(message);
    assert.equal(smtp.messages[0].user, 'mailer');
  });

  test('a refused login is EmailUnavailableError, and neither it nor its cause shows the password', async () => {
    const smtp = await server({ secure: true, auth: { user: 'mailer', pass: 's3cret' } });
    const url = `smtps://mailer:wr0ng-Pa55@127.0.0.1:${smtp.port}`;
    const error = await rejectsUnavailable(sender(url, { tls: { ca: smtp.ca } }).send(message), /EAUTH 535/);
    const shown = inspect(error, { depth: 10 });
    // in clear, or base64 as AUTH LOGIN and AUTH PLAIN carry it
    for (const secret of ['wr0ng-Pa55', b64('wr0ng-Pa55'), b64('\u0000mailer\u0000wr0ng-Pa55')])
      assert.ok(!shown.includes(secret), secret);
    assert.equal(smtp.messages.length, 0);
  });

  test('a mail server that is down makes send throw EmailUnavailableError', async () => {
    const smtp = await startSmtpServer();
    const port = smtp.port;
    await smtp.stop();
    await rejectsUnavailable(sender(`smtp://127.0.0.1:${port}`).send(message), /ECONNREFUSED/);
  });

  test('a server that rejects the recipient makes send throw EmailUnavailableError', async () => {
    const smtp = await server({ refuse: 'recipient' });
    await rejectsUnavailable(
      sender(`smtp://127.0.0.1:${smtp.port}`, { tls: { ca: smtp.ca } }).send(message),
      /EENVELOPE 550/,
    );
    assert.equal(smtp.messages.length, 0);
  });

  test('a server that rejects the message makes send throw EmailUnavailableError', async () => {
    const smtp = await server({ refuse: 'message' });
    await rejectsUnavailable(
      sender(`smtp://127.0.0.1:${smtp.port}`, { tls: { ca: smtp.ca } }).send(message),
      /EMESSAGE 554/,
    );
  });

  test('a server that never greets makes send throw EmailUnavailableError once the greeting times out', async () => {
    const silent = await startSilentServer();
    open.push({ close: () => silent.stop() });
    await rejectsUnavailable(
      sender(`smtp://127.0.0.1:${silent.port}`, { greetingTimeoutMs: 200 }).send(message),
      /ETIMEDOUT/,
    );
  });

  test('one pooled connection carries consecutive messages', async () => {
    const smtp = await server({ starttls: false });
    const pooled = sender(`smtp://127.0.0.1:${smtp.port}`);
    for (const to of ['a@example.com', 'b@example.com', 'c@example.com'])
      await pooled.send({ ...message, to });
    assert.deepEqual(
      smtp.messages.map((m) => m.rcptTo[0]),
      ['a@example.com', 'b@example.com', 'c@example.com'],
    );
    assert.equal(smtp.connections(), 1);
  });

  test('non-ASCII subjects and bodies arrive intact', async () => {
    const smtp = await server({ starttls: false });
    const accented = passwordResetMessage(
      { frontendUrl: 'https://app.example.com', siteName: 'Café ☕ Zürich' },
      { to: 'alice@example.com', uid: 'MQ', token, username: 'renée' },
    );
    await sender(`smtp://127.0.0.1:${smtp.port}`).send(accented);
    assert.equal(smtp.messages[0].subject, 'Password reset on Café ☕ Zürich');
    assert.equal(smtp.messages[0].text, accented.text);
    assert.equal(smtp.messages[0].html, accented.html);
  });

  test('a header smuggled into the subject or the recipient is refused before anything is sent', async () => {
    const smtp = await server({ starttls: false });
    const mailer = sender(`smtp://127.0.0.1:${smtp.port}`);
    await assert.rejects(mailer.send({ ...message, subject: 'Hi\r\nBcc: eve@evil.test' }), TypeError);
    await assert.rejects(mailer.send({ ...message, to: 'alice@example.com,eve@evil.test' }), TypeError);
    assert.equal(smtp.connections(), 0);
  });

  test('createEmailSender("smtp://…") sends over SMTP', async () => {
    const smtp = await server({ starttls: false });
    const created = createEmailSender(`smtp://127.0.0.1:${smtp.port}`);
    open.push(created);
    assert.ok(created instanceof SmtpEmailSender);
    await created.send(message);
    assert.equal(smtp.messages.length, 1);
  });

  test('EmailUnavailableError answers 503 {"detail":"Service temporarily unavailable."}', () => {
    const response = toResponse(
      new EmailUnavailableError('smtp://127.0.0.1:25: ESOCKET connect ECONNREFUSED 127.0.0.1:25'),
    );
    assert.equal(response.status, 503);
    assert.equal(renderJson(response.data), '{"detail":"Service temporarily unavailable."}');
  });
});
