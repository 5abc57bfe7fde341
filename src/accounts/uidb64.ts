/** A uid longer than this is refused before it is decoded (a UUID primary key needs 48). */
export const MAX_UIDB64_LENGTH = 128;

/** Python's base64 alphabet, with `-` and `_` read as `+` and `/` (`urlsafe_b64decode` maps them first). */
const VALUES = new Map<string, number>(
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]),
);
VALUES.set('-', 62).set('_', 63);

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Django's `urlsafe_base64_encode(force_bytes(user.pk))`: base64url of the
 * primary key's text, without padding — the `uid` of a reset or activation
 * link.
 *
 * ```ts
 * encodeUid(42); // 'NDI'
 * ```
 */
export function encodeUid(id: number | bigint | string): string {
  return Buffer.from(String(id), 'utf8').toString('base64url');
}

/**
 * Django's `force_str(urlsafe_base64_decode(uidb64))`, as djoser and
 * `PasswordResetConfirmView` read a link's `uid`: the primary key's text, or
 * null wherever Django raises. It accepts what Django accepts — missing or
 * extra padding, `+` and `/` beside `-` and `_`, characters outside the
 * alphabet (skipped, as Python's non-strict decoder skips them) and anything
 * after a complete padding — and refuses bytes that are not UTF-8. Over
 * `MAX_UIDB64_LENGTH` characters it is refused unread.
 *
 * ```ts
 * decodeUid('NDI'); // '42'
 * decodeUid('NDI='); // '42'
 * decodeUid('N'); // null
 * ```
 */
export function decodeUid(uidb64: string): string | null {
  if (typeof uidb64 !== 'string' || uidb64.length > MAX_UIDB64_LENGTH) return null;
  // Django pads with len % 4 '=' signs (too many for 3, harmless), then Python's a2b_base64 decodes.
  const bytes = a2bBase64(Buffer.from(uidb64 + '='.repeat(uidb64.length % 4), 'utf8'));
  if (bytes === null) return null;
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * CPython's non-strict `binascii.a2b_base64`: bytes outside the alphabet are
 * skipped; a `=` after at least two characters of a quantum ends the input
 * once the quantum is padded; a quantum left open is an error.
 */
function a2bBase64(input: Buffer): Buffer | null {
  const out: number[] = [];
  let quadPos = 0;
  let pads = 0;
  let left = 0;
  for (const byte of input) {
    const c = String.fromCharCode(byte);
    if (c === '=') {
      pads++;
      if (quadPos >= 2 && quadPos + pads >= 4) return Buffer.from(out);
      continue;
    }
    const v = VALUES.get(c);
    if (v === undefined) continue;
    pads = 0;
    if (quadPos === 0) {
      left = v;
      quadPos = 1;
    } else if (quadPos === 1) {
      out.push(((left << 2) | (v >> 4)) & 0xff);
      left = v & 0x0f;
      quadPos = 2;
    } else if (quadPos === 2) {
      out.push(((left << 4) | (v >> 2)) & 0xff);
      left = v & 0x03;
      quadPos = 3;
    } else {
      out.push(((left << 6) | v) & 0xff);
      quadPos = 0;
    }
  }
  return quadPos === 0 ? Buffer.from(out) : null;
}
