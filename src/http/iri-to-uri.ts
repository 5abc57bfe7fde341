/**
 * Django's `iri_to_uri`: percent-encodes an IRI (a path, query or fragment
 * that may hold any Unicode) into the ASCII a `Location` header can carry.
 * It is Python's `quote(iri, safe="/#%[]=:;$&()+,!?*@'~")`: RFC 3986's
 * reserved and unreserved characters stay, and so does `%` (RFC 3987 §3.1:
 * existing escapes are not re-encoded); every other character becomes the
 * `%XX` escapes of its UTF-8 bytes, upper-case.
 *
 * Beyond Django: a lone surrogate, which Python cannot encode (Django answers
 * 500), becomes U+FFFD's escapes `%EF%BF%BD`, as the WHATWG URL encoder does.
 *
 * ```ts
 * iriToUri('/中'); // '/%E4%B8%AD'
 * iriToUri('/I ♥ Django/?q=a b'); // '/I%20%E2%99%A5%20Django/?q=a%20b'
 * ```
 */
export function iriToUri(iri: string): string {
  let out = '';
  // Start of the run of safe characters not yet copied to `out`.
  let start = 0;
  for (let i = 0; i < iri.length; i++) {
    const unit = iri.charCodeAt(i);
    if (unit < 0x80 && SAFE[unit] === 1) continue;
    out += iri.slice(start, i);
    let codePoint = unit;
    if (unit >= 0xd800 && unit <= 0xdfff) {
      const next = iri.charCodeAt(i + 1);
      if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        codePoint = 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else codePoint = 0xfffd;
    }
    out += percentEncodeUtf8(codePoint);
    start = i + 1;
  }
  return start === 0 ? iri : out + iri.slice(start);
}

// Python's always-safe set (letters, digits, `_.-~`) and Django's extra safe characters.
const SAFE = new Uint8Array(0x80);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/#%[]=:;$&()+,!?*@'") {
  SAFE[c.charCodeAt(0)] = 1;
}

const HEX = '0123456789ABCDEF';

function percentEncodeUtf8(codePoint: number): string {
  const byte = (b: number) => `%${HEX[b >> 4]}${HEX[b & 15]}`;
  if (codePoint < 0x80) return byte(codePoint);
  if (codePoint < 0x800) return byte(0xc0 | (codePoint >> 6)) + byte(0x80 | (codePoint & 63));
  if (codePoint < 0x10000) {
    return (
      byte(0xe0 | (codePoint >> 12)) + byte(0x80 | ((codePoint >> 6) & 63)) + byte(0x80 | (codePoint & 63))
    );
  }
  return (
    byte(0xf0 | (codePoint >> 18)) +
    byte(0x80 | ((codePoint >> 12) & 63)) +
    byte(0x80 | ((codePoint >> 6) & 63)) +
    byte(0x80 | (codePoint & 63))
  );
}
