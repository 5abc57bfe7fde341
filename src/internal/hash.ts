import { createHash } from 'node:crypto';

/** SHA-256 hex of what a client holds: the only form in which a session key or API token is stored. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
