import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/** A key and certificate (PEM) for `localhost` and `127.0.0.1`; the certificate is its own CA. */
export interface SelfSignedCert {
  key: string;
  cert: string;
}

/**
 * Makes an ECDSA P-256 certificate for `localhost` and `127.0.0.1`, valid from
 * a day ago to a day ahead, with node:crypto only (no openssl binary): the
 * DER is written by hand below. smtp-server ships a localhost certificate,
 * but it expired in February 2025.
 *
 * ```ts
 * const { key, cert } = selfSignedCert();
 * tls.createServer({ key, cert }); // and trust `cert` as the CA on the client
 * ```
 */
export function selfSignedCert(now = Date.now()): SelfSignedCert {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from('localhost')))));
  const day = 24 * 60 * 60 * 1000;
  const extensions = seq(
    // basicConstraints (critical): CA:TRUE, so the certificate can be the client's trust anchor
    seq(oid('2.5.29.19'), tlv(0x01, Buffer.from([0xff])), octets(seq(tlv(0x01, Buffer.from([0xff]))))),
    // subjectAltName: DNS:localhost, IP:127.0.0.1
    seq(
      oid('2.5.29.17'),
      octets(seq(tlv(0x82, Buffer.from('localhost')), tlv(0x87, Buffer.from([127, 0, 0, 1])))),
    ),
  );
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    serialNumber(),
    ecdsaWithSha256,
    name,
    seq(utcTime(now - day), utcTime(now + day)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, extensions),
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const der = seq(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const body = der.toString('base64').replace(/.{64}/g, '$&\n');
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    cert: `-----BEGIN CERTIFICATE-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`,
  };
}

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

function seq(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

function octets(content: Buffer): Buffer {
  return tlv(0x04, content);
}

/** A positive INTEGER: a leading zero byte when the high bit is set. */
function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

/** 8 random bytes, the first in 0x01..0x7f: positive and minimally encoded, as DER wants. */
function serialNumber(): Buffer {
  const bytes = randomBytes(8);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return tlv(0x02, bytes);
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime `YYMMDDHHMMSSZ`. */
function utcTime(ms: number): Buffer {
  const iso = new Date(ms).toISOString(); // 2026-12-06T00:48:43.123Z
  const digits = iso.slice(2, 19).replace(/[-T:]/g, '');
  return tlv(0x17, Buffer.from(`${digits}Z`));
}
