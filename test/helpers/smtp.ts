import { createServer, type Server, type Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { selfSignedCert } from './self-signed-cert.ts';

/** A message as the server received it: the envelope, the TLS state, and the parsed content. */
export interface ReceivedMail {
  /** Envelope sender (`MAIL FROM`). */
  mailFrom: string;
  /** Envelope recipients (`RCPT TO`). */
  rcptTo: string[];
  /** Whether the connection was encrypted (SMTPS or after STARTTLS) when the message arrived. */
  secure: boolean;
  /** The user that authenticated, or null. */
  user: string | null;
  /** The message exactly as transmitted (CRLF line ends). */
  raw: string;
  /** Top-level headers, lower-case names, unfolded, encoded words decoded. */
  headers: Record<string, string>;
  subject: string;
  /** The decoded text/plain part. */
  text: string;
  /** The decoded text/html part. */
  html: string;
}

export interface SmtpServerOptions {
  /** Implicit TLS from the first byte (SMTPS); otherwise plain text, STARTTLS offered. */
  secure?: boolean;
  /** Offer STARTTLS on a plain server (default true). */
  starttls?: boolean;
  /** Require AUTH (PLAIN or LOGIN) with these credentials, over TLS only. */
  auth?: { user: string; pass: string };
  /** Reject every recipient (550 at RCPT TO), or every message (554 after DATA). */
  refuse?: 'recipient' | 'message';
}

export interface RunningSmtpServer {
  host: '127.0.0.1';
  port: number;
  /** The self-signed certificate the server presents: give it to the client as its CA. */
  ca: string;
  /** Every message accepted so far, in order. */
  messages: ReceivedMail[];
  /** How many TCP connections clients opened so far. */
  connections(): number;
  /** Stops listening and drops open connections. */
  stop(): Promise<void>;
}

/**
 * Starts a real SMTP server (the `smtp-server` package) on 127.0.0.1 and a
 * port the kernel picks, with a fresh self-signed certificate, collecting
 * what it receives. A message is in `messages` before the client's send
 * resolves (the server answers 250 after storing it).
 *
 * ```ts
 * const server = await startSmtpServer({ auth: { user: 'mailer', pass: 's3cret' } });
 * await sender.send(message);
 * assert.equal(server.messages[0].subject, 'Password reset on example.com');
 * await server.stop();
 * ```
 */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<RunningSmtpServer> {
  const { key, cert } = selfSignedCert();
  const messages: ReceivedMail[] = [];
  let connections = 0;
  const config: SMTPServerOptions = {
    secure: options.secure ?? false,
    key,
    cert,
    logger: false,
    closeTimeout: 50,
    disabledCommands: [
      ...(options.auth ? [] : ['AUTH']),
      ...(options.starttls === false && !options.secure ? ['STARTTLS'] : []),
    ],
    authOptional: !options.auth,
    authMethods: ['PLAIN', 'LOGIN'],
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onAuth(auth, _session, callback) {
      const ok = options.auth && auth.username === options.auth.user && auth.password === options.auth.pass;
      if (ok) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (options.refuse === 'recipient')
        callback(Object.assign(new Error(`No such user: ${address.address}`), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (options.refuse === 'message')
          return callback(Object.assign(new Error('Message rejected as spam'), { responseCode: 554 }));
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : null,
          raw,
          ...parseMail(raw),
        });
        callback();
      });
    },
  };
  const server = new SMTPServer(config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('smtp-server: no port');
  return {
    host: '127.0.0.1',
    port: address.port,
    ca: cert,
    messages,
    connections: () => connections,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A TCP server that accepts connections and never says a word: a mail
 * server that hangs before its greeting.
 *
 * ```ts
 * const silent = await startSilentServer();
 * // connect to silent.port … the greeting timeout fires
 * await silent.stop();
 * ```
 */
export async function startSilentServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('silent server: no port');
  return {
    port: address.port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Just enough MIME for these tests: top-level headers, and the text/plain and
 * text/html parts of a single-part or multipart/alternative message, with
 * quoted-printable and base64 decoded.
 */
export function parseMail(raw: string): Pick<ReceivedMail, 'headers' | 'subject' | 'text' | 'html'> {
  const { headers, body } = splitEntity(raw);
  const result = { headers, subject: headers.subject ?? '', text: '', html: '' };
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  const parts = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1, -1)
        .map((part) => splitEntity(part.replace(/^\r\n/, '')))
    : [{ headers, body }];
  for (const part of parts) {
    const partType = (part.headers['content-type'] ?? 'text/plain').toLowerCase();
    const decoded = decodeBody(part.body.replace(/\r\n$/, ''), part.headers['content-transfer-encoding']);
    if (partType.startsWith('text/plain')) result.text = decoded;
    else if (partType.startsWith('text/html')) result.html = decoded;
  }
  return result;
}

function splitEntity(entity: string): { headers: Record<string, string>; body: string } {
  const end = entity.indexOf('\r\n\r\n');
  const head = end === -1 ? entity : entity.slice(0, end);
  const body = end === -1 ? '' : entity.slice(end + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!(name in headers)) headers[name] = decodeWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeBody(body: string, encoding = '7bit'): string {
  switch (encoding.toLowerCase()) {
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body.replace(/\r\n/g, '\n');
  }
}

/** RFC 2045 quoted-printable: soft line breaks dropped, `=XX` bytes joined, then read as UTF-8. */
function decodeQuotedPrintable(body: string): string {
  const unfolded = body.replace(/=\r\n/g, '').replace(/\r\n/g, '\n');
  const bytes: number[] = [];
  for (let i = 0; i < unfolded.length; i++) {
    const hex = unfolded.slice(i + 1, i + 3);
    if (unfolded[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(unfolded[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`); the space between two of them goes. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}
