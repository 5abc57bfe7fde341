import { randomBytes, randomInt } from 'node:crypto';

/** Randomness, injected so tests can pin it; the default is the CSPRNG. */
export interface Random {
  bytes(length: number): Buffer;
  /** A string of `length` characters drawn uniformly from `alphabet` (no modulo bias). */
  string(length: number, alphabet: string): string;
}

export const cryptoRandom: Random = Object.freeze({
  bytes: (length: number) => randomBytes(length),
  string(length: number, alphabet: string) {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
    return out;
  },
});

export const LOWER_DIGITS = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
