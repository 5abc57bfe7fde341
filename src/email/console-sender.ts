import type { Writable } from 'node:stream';
import { EmailUnavailableError } from '../errors.ts';
import { type Clock, systemClock } from '../internal/clock.ts';
import { cryptoRandom, type Random } from '../internal/random.ts';
import { assertSendable, type EmailMessage, type EmailSender } from './message.ts';

export interface ConsoleEmailSenderOptions {
  /** Where messages go; standard output by default. */
  stream?: Writable;
  /** For the `Date` header. */
  clock?: Clock;
  /** For the MIME boundary and the `Message-ID`. */
  random?: Random;
}

/** Django's console backend closes each message with 79 dashes. */
const SEPARATOR = '-'.repeat(79);

/**
 * Writes each message to a stream, as Django's console e-mail backend does:
 * the headers, then the text and HTML parts of a multipart/alternative
 * message, then a line of 79 `-`. The bodies are written as they are
 * (UTF-8, no transfer encoding), so a developer can copy a link from the
 * terminal. One message is one `write`, so concurrent sends never interleave.
 *
 * ```ts
 * const sender = new ConsoleEmailSender(); // stdout
 * await sender.send(activationMessage(site, { to, uid, token }));
 * ```
 */
export class ConsoleEmailSender implements EmailSender {
  readonly #stream: Writable;
  readonly #clock: Clock;
  readonly #random: Random;

  constructor(options: ConsoleEmailSenderOptions = {}) {
    this.#stream = options.stream ?? process.stdout;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? cryptoRandom;
  }

  async send(message: EmailMessage): Promise<void> {
    assertSendable(message);
    const text = this.render(message);
    await new Promise<void>((resolve, reject) => {
      this.#stream.write(text, (error) =>
        error ? reject(new EmailUnavailableError(`console: ${error.message}`, { cause: error })) : resolve(),
      );
    });
  }

  /** The exact text `send` writes for `message`. */
  render(message: EmailMessage): string {
    const boundary = `===============${this.#random.bytes(8).toString('hex')}==`;
    const domain = message.from.slice(message.from.lastIndexOf('@') + 1).replace(/>$/, '') || 'localhost';
    const part = (type: string, body: string) =>
      [
        `--${boundary}`,
        `Content-Type: ${type}; charset="utf-8"`,
        'MIME-Version: 1.0',
        'Content-Transfer-Encoding: 8bit',
        '',
        body,
      ].join('\n');
    return [
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      'MIME-Version: 1.0',
      `Subject: ${message.subject}`,
      `From: ${message.from}`,
      `To: ${message.to}`,
      `Date: ${rfc2822(this.#clock.now())}`,
      `Message-ID: <${this.#random.bytes(12).toString('hex')}@${domain}>`,
      '',
      part('text/plain', message.text),
      part('text/html', message.html),
      `--${boundary}--`,
      '',
      SEPARATOR,
      '',
    ].join('\n');
  }

  /** A stream is always ready. */
  async verify(): Promise<void> {}

  async close(): Promise<void> {}
}

/** `Sun, 06 Dec 2026 00:48:43 -0000`, as Python's `formatdate()` writes UTC. */
function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '-0000');
}
