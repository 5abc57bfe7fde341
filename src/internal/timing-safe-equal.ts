import { hash, timingSafeEqual as nodeTimingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality of two strings. Equal lengths (the usual case: two
 * hashes, two 32-character secrets) compare byte for byte; different lengths
 * compare SHA-256 digests, so the time never depends on where they differ,
 * and the answer is false. Never throws.
 *
 * ```ts
 * timingSafeEqual(storedHash, computedHash)
 * ```
 */
export function timingSafeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const ba = typeof a === 'string' ? Buffer.from(a) : a;
  const bb = typeof b === 'string' ? Buffer.from(b) : b;
  if (ba.length === bb.length) return nodeTimingSafeEqual(ba, bb);
  nodeTimingSafeEqual(hash('sha256', ba, 'buffer'), hash('sha256', bb, 'buffer'));
  return false;
}
