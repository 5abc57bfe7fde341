import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { ConsoleEmailSender } from '../../src/email/console-sender.ts';
import { createEmailSender } from '../../src/email/create-email-sender.ts';
import { activationMessage } from '../../src/email/messages.ts';
import { EmailUnavailableError } from '../../src/errors.ts';
import type { Random } from '../../src/internal/random.ts';
import { createFakeClock } from '../../src/testing/fake-clock.ts';

function collector(): { stream: Writable; output: () => string; writes: () => number } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { stream, output: () => chunks.join(''), writes: () => chunks.length };
}

const pinned: Random = { bytes: (length) => Buffer.alloc(length, 0xab), string: () => '' };
const clock = createFakeClock(Date.UTC(2026, 11, 6, 0, 48, 43));
const site = { frontendUrl: 'http://127.0.0.1:8000' };
const token = 'dj53l6-bc563ce02463323fda58aa6bc97721ec';

describe("the console sender (Django's console backend)", () => {
  test('writes the headers, the text part, the HTML part and a line of 79 dashes', async () => {
    const out = collector();
    const sender = new ConsoleEmailSender({ stream: out.stream, clock, random: pinned });
    await sender.send(activationMessage(site, { to: 'alice@example.com', uid: 'MQ', token }));
    const boundary = '===============abababababababab==';
    assert.equal(
      out.output(),
      [
        `Content-Type: multipart/alternative; boundary="${boundary}"`,
        'MIME-Version: 1.0',
        'Subject: Account activation on 127.0.0.1:8000',
        'From: webmaster@localhost',
        'To: alice@example.com',
        'Date: Sun, 06 Dec 2026 00:48:43 -0000',
        'Message-ID: <abababababababababababab@localhost>',
        '',
        `--${boundary}`,
        'Content-Type: text/plain; charset="utf-8"',
        'MIME-Version: 1.0',
        'Content-Transfer-Encoding: 8bit',
        '',
        "You're receiving this email because you need to finish activation process on 127.0.0.1:8000.",
        '',
        'Please go to the following page to activate account:',
        'http://127.0.0.1:8000/#/activate/MQ/dj53l6-bc563ce02463323fda58aa6bc97721ec',
        '',
        'Thanks for using our site!',
        '',
        'The 127.0.0.1:8000 team',
        `--${boundary}`,
        'Content-Type: text/html; charset="utf-8"',
        'MIME-Version: 1.0',
        'Content-Transfer-Encoding: 8bit',
        '',
        '<p>You&#39;re receiving this email because you need to finish activation process on 127.0.0.1:8000.</p>',
        '',
        '<p>Please go to the following page to activate account:</p>',
        '<p><a href="http://127.0.0.1:8000/#/activate/MQ/dj53l6-bc563ce02463323fda58aa6bc97721ec">http://127.0.0.1:8000/#/activate/MQ/dj53l6-bc563ce02463323fda58aa6bc97721ec</a></p>',
        '',
        '<p>Thanks for using our site!</p>',
        '',
        '<p>The 127.0.0.1:8000 team</p>',
        `--${boundary}--`,
        '',
        '-'.repeat(79),
        '',
      ].join('\n'),
    );
  });

  test('concurrent messages are written one at a time, never interleaved', async () => {
    const out = collector();
    const sender = new ConsoleEmailSender({ stream: out.stream, clock, random: pinned });
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        sender.send(
          activationMessage(site, {
            to: `${name}@example.com`,
            uid: 'MQ',
            token: 'dj53l6-bc563ce02463323fda58aa6bc97721ec',
          }),
        ),
      ),
    );
    assert.equal(out.writes(), 3);
    const messages = out.output().split(`${'-'.repeat(79)}\n`);
    assert.deepEqual(
      messages.map((m) => /^To: (.*)$/m.exec(m)?.[1]),
      ['a@example.com', 'b@example.com', 'c@example.com', undefined],
    );
  });

  test('createEmailSender("console:") writes to the given stream', async () => {
    const out = collector();
    const sender = createEmailSender('console:', { stream: out.stream, clock, random: pinned });
    assert.ok(sender instanceof ConsoleEmailSender);
    await sender.send(
      activationMessage(site, {
        to: 'alice@example.com',
        uid: 'MQ',
        token: 'dj53l6-bc563ce02463323fda58aa6bc97721ec',
      }),
    );
    assert.match(out.output(), /^To: alice@example\.com$/m);
    await sender.close();
  });

  test('a header with a line break or a second recipient is refused and nothing is written', async () => {
    const out = collector();
    const sender = new ConsoleEmailSender({ stream: out.stream, clock, random: pinned });
    const message = activationMessage(site, {
      to: 'alice@example.com',
      uid: 'MQ',
      token: 'dj53l6-bc563ce02463323fda58aa6bc97721ec',
    });
    for (const bad of [
      { ...message, subject: 'Hello\r\nBcc: eve@evil.test' },
      { ...message, subject: 'Hello\nBcc: eve@evil.test' },
      { ...message, to: 'alice@example.com\r\nBcc: eve@evil.test' },
      { ...message, to: 'alice@example.com, eve@evil.test' },
      { ...message, to: 'Alice <alice@example.com>' },
      { ...message, to: '' },
      { ...message, from: 'webmaster@localhost\r\nBcc: eve@evil.test' },
      { ...message, subject: '' },
    ]) {
      await assert.rejects(sender.send(bad), TypeError);
    }
    assert.equal(out.output(), '');
  });

  test('a stream that fails makes send throw EmailUnavailableError', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('EPIPE: broken pipe'));
      },
    });
    broken.on('error', () => {});
    const sender = new ConsoleEmailSender({ stream: broken, clock, random: pinned });
    await assert.rejects(
      sender.send(
        activationMessage(site, {
          to: 'alice@example.com',
          uid: 'MQ',
          token: 'dj53l6-bc563ce02463323fda58aa6bc97721ec',
        }),
      ),
      (error) => {
        assert.ok(error instanceof EmailUnavailableError);
        assert.equal(error.message, 'console: EPIPE: broken pipe');
        return true;
      },
    );
  });
});
