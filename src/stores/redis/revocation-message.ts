import type { RevocationMessage } from '../types.ts';

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
  return message.kind === 'user'
    ? JSON.stringify({ kind: 'user', userId: message.userId })
    : JSON.stringify({ kind: message.kind, keyHash: message.keyHash });
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
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { kind, keyHash, userId } = value as Record<string, unknown>;
  if ((kind === 'session' || kind === 'token') && typeof keyHash === 'string') return { kind, keyHash };
  if (kind === 'user' && Number.isSafeInteger(userId)) return { kind, userId: userId as number };
  return null;
}
