/**
 * `gatehouse sendtestemail ADDRESS` (Django's command): the mail settings
 * checked by sending one message, through a real SMTP server or the console.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import type { Io } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-sendtestemail-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end();
  const io: Io = {
    stdin,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { DATABASE_URL: `sqlite:${join(dir, 'never', 'db.sqlite3')}`, SECRET_KEY: 'x'.repeat(40), ...env },
    cwd: dir,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

test('through SMTP: the message arrives as Django words it; a failure is exit 1 without the password', async () => {
  const smtp = await startSmtpServer({ auth: { user: 'mailer', pass: 's3cret' } });
  try {
    const url = `smtp://mailer:s3cret@127.0.0.1:${smtp.port}`;
    const plain = await startSmtpServer({ starttls: false });
    try {
      const res = await run(['sendtestemail', 'alice@example.com'], {
        GATEHOUSE_EMAIL_URL: `smtp://127.0.0.1:${plain.port}`,
        GATEHOUSE_EMAIL_FROM: 'Gatehouse <noreply@example.com>',
      });
      assert.deepEqual(res, {
        code: 0,
        stdout: `Sent a test email to alice@example.com through smtp://127.0.0.1:${plain.port}\n`,
        stderr: '',
      });
      const [mail] = plain.messages;
      assert.deepEqual(mail.rcptTo, ['alice@example.com']);
      assert.equal(mail.headers.from, 'Gatehouse <noreply@example.com>');
      assert.match(
        mail.subject,
        new RegExp(
          `^Test email from ${hostname().replace(/[.]/g, '\\.')} on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00$`,
        ),
      );
      assert.equal(mail.text, "If you're reading this, it was successful.");
    } finally {
      await plain.stop();
    }
    // With a password the URL requires STARTTLS; this server's self-signed certificate is not trusted,
    // so nothing is sent: exit 1 with the reason, and never the password.
    const refused = await run(['sendtestemail', 'alice@example.com'], {
      GATEHOUSE_EMAIL_URL: url.replace('s3cret', 'wrong'),
    });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^gatehouse: sendtestemail: smtp:\/\/mailer@127\.0\.0\.1:\d+: /);
    assert.doesNotMatch(refused.stderr, /wrong|s3cret/);
  } finally {
    await smtp.stop();
  }
});

test('console: (the default) writes the message to standard output', async () => {
  const res = await run(['sendtestemail', 'alice@example.com']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^Content-Type: multipart\/alternative; boundary="/);
  assert.match(res.stdout, /^To: alice@example\.com$/m);
  assert.match(res.stdout, /^From: webmaster@localhost$/m);
  assert.match(res.stdout, /^If you're reading this, it was successful\.$/m);
  assert.match(res.stdout, /\nSent a test email to alice@example\.com through console:\n$/);
});

test('a mail server that is down: exit 1, one line', async () => {
  const smtp = await startSmtpServer();
  await smtp.stop();
  const res = await run(['sendtestemail', 'alice@example.com'], {
    GATEHOUSE_EMAIL_URL: `smtp://127.0.0.1:${smtp.port}`,
  });
  assert.equal(res.code, 1);
  assert.match(
    res.stderr,
    /^gatehouse: sendtestemail: smtp:\/\/127\.0\.0\.1:\d+: ESOCKET .*ECONNREFUSED.*\n$/,
  );
});

test('not one address, or a bad GATEHOUSE_EMAIL_URL: exit 2', async () => {
  for (const address of ['nope', 'a@example.com, eve@evil.example']) {
    const res = await run(['sendtestemail', address]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /^gatehouse: sendtestemail: ADDRESS: expected one e-mail address, got /);
  }
  const bad = await run(['sendtestemail', 'a@example.com'], { GATEHOUSE_EMAIL_URL: 'smtp://user:hunter2@' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^gatehouse: sendtestemail: GATEHOUSE_EMAIL_URL: /);
  assert.doesNotMatch(bad.stderr, /hunter2/);
});
