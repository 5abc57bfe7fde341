import { isIPv4, isIPv6 } from 'node:net';

/**
 * The throttling identity of a client address: IPv4 as is, IPv4-mapped IPv6
 * as the IPv4 address, and other IPv6 addresses by their /64 network — one
 * host usually owns a whole /64, so per-address keys would let it rotate
 * through 2^64 buckets. Textual variants (case, compression) give one key.
 *
 * ```ts
 * addressKey('::FFFF:c000:201') // '192.0.2.1'
 * addressKey('2001:db8:1:2::a') // '2001:db8:1:2::/64'
 * ```
 */
export function addressKey(address: string): string {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return bare;
  const hextets = expandIPv6(bare.split('%')[0]);
  const mapped = hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff;
  if (mapped) return `${hextets[6] >> 8}.${hextets[6] & 255}.${hextets[7] >> 8}.${hextets[7] & 255}`;
  return `${hextets
    .slice(0, 4)
    .map((h) => h.toString(16))
    .join(':')}::/64`;
}

function expandIPv6(address: string): number[] {
  let text = address.toLowerCase();
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two hextets.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((h) => Number.parseInt(h, 16));
}
