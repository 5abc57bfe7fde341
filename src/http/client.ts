import type { Headers } from '../request.ts';

export interface ClientInfoInput {
  /** The socket's peer address. */
  peer: string | undefined;
  headers: Headers;
  /** Whether the socket itself is TLS. */
  encrypted: boolean;
  /** Honour one proxy's `X-Forwarded-For` / `X-Forwarded-Proto` (off by default). */
  trustProxy: boolean;
}

/**
 * The client address and HTTPS flag of a request. Only with `trustProxy` do
 * forwarded headers count, and then only the entry our proxy appended (the
 * rightmost, DRF's `NUM_PROXIES = 1`), so a client cannot pick its own address.
 */
export function clientInfo(input: ClientInfoInput): { clientAddress: string; secure: boolean } {
  let clientAddress = input.peer ?? '';
  let secure = input.encrypted;
  if (input.trustProxy) {
    const xff = first(input.headers['x-forwarded-for']);
    if (xff) {
      const entries = xff
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (entries.length > 0) clientAddress = entries[entries.length - 1];
    }
    const proto = first(input.headers['x-forwarded-proto']);
    if (proto) secure = proto.split(',')[0].trim().toLowerCase() === 'https';
  }
  if (clientAddress.startsWith('::ffff:') && clientAddress.includes('.'))
    clientAddress = clientAddress.slice(7);
  return { clientAddress, secure };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
