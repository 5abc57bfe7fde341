import type { RevocationMessage } from '../types.ts';

/**
 * Everything that travels on the revocation channel. Besides revocations,
 * instances send heartbeats (`beat`: the round trip that renews an
 * instance's cache lease), acknowledgements (`ack`: "my cache has applied
 * your revocation `id`") and a goodbye on close (`bye`).
 */
export type BusFrame =
  | { type: 'revocation'; message: RevocationMessage; id?: string; from?: string }
  | { type: 'beat'; from: string; seq: number }
  | { type: 'ack'; from: string; to: string; id: string }
  | { type: 'bye'; from: string };

/** Instance ids and message ids are short random or counter strings; longer is garbage. */
const MAX_ID = 64;

/**
 * The wire form of a revocation on the pub/sub channel: compact JSON holding
 * only key hashes and user ids, never a secret (anyone who can SUBSCRIBE to
 * the Redis can read the channel).
 *
 * ```ts
 * encodeRevocation({ kind: 'user', userId: 7 }); // '{"kind":"user","userId":7}'
 * ```
 */
export function encodeRevocation(message: RevocationMessage): string {
  return JSON.stringify(revocationFields(message));
}

/**
 * The wire form of any frame. A revocation keeps the fields older versions
 * read (`kind` and `keyHash` or `userId`) and adds `id` and `from`, which they
 * ignore; heartbeats, acknowledgements and goodbyes have kinds of their own.
 *
 * ```ts
 * encodeFrame({ type: 'beat', from: 'a1b2c3', seq: 4 }); // '{"kind":"beat","from":"a1b2c3","seq":4}'
 * ```
 */
export function encodeFrame(frame: BusFrame): string {
  switch (frame.type) {
    case 'revocation':
      return JSON.stringify({ ...revocationFields(frame.message), id: frame.id, from: frame.from });
    case 'beat':
      return JSON.stringify({ kind: 'beat', from: frame.from, seq: frame.seq });
    case 'ack':
      return JSON.stringify({ kind: 'ack', from: frame.from, to: frame.to, id: frame.id });
    case 'bye':
      return JSON.stringify({ kind: 'bye', from: frame.from });
  }
}

/**
 * Parses a payload from the channel; null when it is not a revocation this
 * version understands (the bus then treats it as "something unknown was
 * revoked" and lets every cache clear, which is the safe reading).
 *
 * ```ts
 * decodeRevocation('{"kind":"session","keyHash":"ab12…"}'); // { kind: 'session', keyHash: 'ab12…' }
 * decodeRevocation('garbage'); // null
 * ```
 */
export function decodeRevocation(payload: string): RevocationMessage | null {
  const frame = decodeFrame(payload);
  return frame?.type === 'revocation' ? frame.message : null;
}

/**
 * Parses any frame; null for anything malformed or unknown (read as a lost
 * revocation by the bus: every cache clears).
 *
 * ```ts
 * decodeFrame('{"kind":"ack","from":"b","to":"a","id":"7"}'); // { type: 'ack', from: 'b', to: 'a', id: '7' }
 * ```
 */
export function decodeFrame(payload: string): BusFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { kind, keyHash, userId, id, from, to, seq } = value as Record<string, unknown>;
  const origin = isId(id) && isId(from) ? { id, from } : {};
  if ((kind === 'session' || kind === 'token') && typeof keyHash === 'string') {
    return { type: 'revocation', message: { kind, keyHash }, ...origin };
  }
  if (kind === 'user' && Number.isSafeInteger(userId)) {
    return { type: 'revocation', message: { kind, userId: userId as number }, ...origin };
  }
  if (kind === 'beat' && isId(from) && Number.isSafeInteger(seq) && (seq as number) >= 0) {
    return { type: 'beat', from, seq: seq as number };
  }
  if (kind === 'ack' && isId(from) && isId(to) && isId(id)) return { type: 'ack', from, to, id };
  if (kind === 'bye' && isId(from)) return { type: 'bye', from };
  return null;
}

function revocationFields(message: RevocationMessage) {
  return message.kind === 'user'
    ? { kind: 'user', userId: message.userId }
    : { kind: message.kind, keyHash: message.keyHash };
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID;
}
