import QRCode from 'qrcode';

/**
 * The QR code of `text` as a `data:image/svg+xml;base64,…` URI, ready for an
 * `<img src>`: what `GET /auth/mfa/totp/activate/` sends as `qr_code_data_uri`
 * (dj-rest-auth sends the same SVG form). SVG because `qrcode` draws it in
 * plain JavaScript — no canvas, no native module — and it scales without
 * blur; base64 so the URI needs no further escaping in JSON or HTML.
 * Error correction M and the standard 4-module quiet zone; the output is a
 * pure function of `text`.
 *
 * ```ts
 * await qrDataUri('otpauth://totp/Gatehouse:alice?secret=…') // 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0i…'
 * ```
 */
export async function qrDataUri(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
