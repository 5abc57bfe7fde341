import { hash } from 'node:crypto';

/**
 * 64 bits of SHA-256 of a value's JSON, in hex: what the ledger keeps of a
 * field as it was imported. It tells "changed since" from "unchanged" and
 * keeps nothing readable — not even a password hash.
 *
 * ```ts
 * digest('alice@example.com'); // '5c2b…' (16 hex digits)
 * ```
 */
export function digest(value: unknown): string {
  return hash('sha256', JSON.stringify(value) ?? 'undefined', 'hex').slice(0, 16);
}

/**
 * A row's fingerprint, field by field: `{"email":"5c2b…","password":"9f01…"}`.
 *
 * ```ts
 * fieldDigests({ email: 'a@example.com', isActive: true });
 * ```
 */
export function fieldDigests(fields: Record<string, unknown>): string {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) out[name] = digest(value);
  return JSON.stringify(out);
}

/**
 * Which fields differ between a fingerprint made now and the one the ledger
 * holds: every field, when there is none (or it cannot be read).
 *
 * ```ts
 * changedFields(fieldDigests(now), ledger.get(ref)); // ['email']
 * ```
 */
export function changedFields(current: string, previous: string | undefined): Set<string> {
  const now = JSON.parse(current) as Record<string, string>;
  let before: Record<string, unknown> = {};
  try {
    if (previous !== undefined) before = JSON.parse(previous) as Record<string, unknown>;
  } catch {
    before = {};
  }
  return new Set(Object.keys(now).filter((name) => before[name] !== now[name]));
}
