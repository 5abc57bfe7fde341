import nodemailer from 'nodemailer';
import { EmailUnavailableError } from '../errors.ts';
import type { SmtpEmailUrl } from './email-url.ts';
import { assertSendable, type EmailMessage, type EmailSender } from './message.ts';

export interface SmtpEmailSenderOptions {
  /**
   * Certificates to trust besides the system's, for a server with a private
   * or self-signed certificate (tests use this); verification stays on.
   */
  tls?: { ca: string | Buffer | (string | Buffer)[] };
  /** Connecting, including the TCP handshake and DNS (default 5000 ms). */
  connectionTimeoutMs?: number;
  /** The server's greeting and a STARTTLS upgrade (default 5000 ms). */
  greetingTimeoutMs?: number;
  /** Silence on an open connection, mid-dialogue (default 10000 ms). */
  socketTimeoutMs?: number;
  /** Open connections at most (default 5). */
  maxConnections?: number;
}

interface SendFailure {
  code?: string;
  responseCode?: number;
  message?: string;
}

/**
 * Sends over SMTP through one pooled nodemailer transport: connections are
 * reused between messages, and every wait is bounded (connect and greeting
 * 5 s, a silent socket 10 s), so a mail server that hangs costs a request
 * seconds, not minutes (nodemailer's own defaults are 2 and 10 minutes).
 * Anything the server or the network does wrong — down, refusing, timing
 * out, TLS failing, authentication refused, recipient or message rejected —
 * rejects with `EmailUnavailableError`, which answers 503.
 *
 * ```ts
 * const sender = new SmtpEmailSender(parseEmailUrl('smtp://mail.example.com:587') as SmtpEmailUrl);
 * await sender.send(message);
 * await sender.close();
 * ```
 */
export class SmtpEmailSender implements EmailSender {
  readonly #url: SmtpEmailUrl;
  readonly #transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(url: SmtpEmailUrl, options: SmtpEmailSenderOptions = {}) {
    this.#url = url;
    this.#transport = nodemailer.createTransport({
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      host: url.host,
      port: url.port,
      secure: url.secure,
      requireTLS: url.starttls === 'required',
      ignoreTLS: url.starttls === 'never' && !url.secure,
      auth: url.auth ? { user: url.auth.user, pass: url.auth.pass.reveal() } : undefined,
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      greetingTimeout: options.greetingTimeoutMs ?? 5_000,
      socketTimeout: options.socketTimeoutMs ?? 10_000,
      tls: options.tls ? { ca: options.tls.ca } : undefined,
      // Messages are strings built here: nodemailer must never read a file or fetch a URL for one.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    });
  }

  async send(message: EmailMessage): Promise<void> {
    assertSendable(message);
    try {
      await this.#transport.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    } catch (error) {
      throw this.#unavailable(error);
    }
  }

  /** Connects, greets, upgrades and logs in as `send` would, then quits: the mail server's health. */
  async verify(): Promise<void> {
    try {
      await this.#transport.verify();
    } catch (error) {
      throw this.#unavailable(error);
    }
  }

  #unavailable(error: unknown): EmailUnavailableError {
    const failure = (error ?? {}) as SendFailure;
    const code = [failure.code, failure.responseCode].filter((part) => part !== undefined).join(' ');
    // nodemailer's messages name the server's reply or the socket error, never the password.
    return new EmailUnavailableError(
      `${this.#url.display}: ${code ? `${code} ` : ''}${failure.message ?? String(error)}`,
      // nodemailer's codes for a server that answered and refused the recipients or the data.
      { cause: error, messageRefused: failure.code === 'EENVELOPE' || failure.code === 'EMESSAGE' },
    );
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}
