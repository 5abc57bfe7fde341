import { hash } from 'node:crypto';

/** SHA-256 hex of what a client holds: the only form in which a session key or API token is stored. */
export function sha256Hex(value: string): string {
  // The one-shot crypto.hash: no Hash object per call, on every request's path.
  return hash('sha256', value, 'hex');
}
