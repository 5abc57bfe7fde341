import type { Row } from './sql-rows.ts';
import type {
  PasskeyRecord,
  PendingLogin,
  PendingLoginKind,
  RecoveryCodeSet,
  TotpDevice,
  WebAuthnChallenge,
} from './types.ts';

/** A boolean column: SQLite gives 0/1, PostgreSQL true/false. */
function bool(value: unknown): boolean {
  return value === true || value === 1;
}

/** Maps a `totp_devices` row; shared by the SQL backends. */
export function toTotpDevice(row: Row): TotpDevice {
  return {
    userId: row.user_id as number,
    sealedSecret: row.sealed_secret as string,
    lastStep: row.last_step as number | null,
    createdAt: row.created_at as number,
    lastUsedAt: row.last_used_at as number | null,
  };
}

/** Maps a `recovery_codes` row; shared by the SQL backends. */
export function toRecoveryCodeSet(row: Row): RecoveryCodeSet {
  return {
    userId: row.user_id as number,
    sealedCodes: row.sealed_codes as string,
    usedMask: Number(row.used_mask),
    createdAt: row.created_at as number,
    lastUsedAt: row.last_used_at as number | null,
  };
}

/** Maps a `pending_logins` row; shared by the SQL backends. */
export function toPendingLogin(row: Row): PendingLogin {
  return {
    tokenHash: row.token_hash as string,
    kind: row.kind as PendingLoginKind,
    userId: row.user_id as number,
    binding: row.binding as string,
    createdAt: row.created_at as number,
    attempts: Number(row.attempts),
  };
}

/** Maps a `webauthn_challenges` row; shared by the SQL backends. */
export function toWebAuthnChallenge(row: Row): WebAuthnChallenge {
  return {
    key: row.id as string,
    challenge: row.challenge as string,
    userId: row.user_id as number | null,
    expiresAt: row.expires_at as number,
  };
}

/** Maps a `passkeys` row (transports as a JSON array, booleans as 0/1 or true/false); shared by the SQL backends. */
export function toPasskey(row: Row): PasskeyRecord {
  const transports = JSON.parse(row.transports as string) as unknown;
  return {
    id: row.id as number,
    userId: row.user_id as number,
    credentialId: row.credential_id as string,
    publicKey: row.public_key as string,
    counter: Number(row.counter),
    transports: Array.isArray(transports) ? transports.filter((t): t is string => typeof t === 'string') : [],
    name: row.name as string,
    discoverable: row.discoverable === null || row.discoverable === undefined ? null : bool(row.discoverable),
    backedUp: bool(row.backed_up),
    createdAt: row.created_at as number,
    lastUsedAt: row.last_used_at as number | null,
  };
}
