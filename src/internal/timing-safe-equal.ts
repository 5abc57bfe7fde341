import { createHash, timingSafeEqual as nodeTimingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality of two strings of any length. Both sides are hashed
 * first so the comparison never leaks the length of the secret and never throws.
 */
export function timingSafeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return nodeTimingSafeEqual(da, db) && Buffer.byteLength(a) === Buffer.byteLength(b);
}
