import { ParseError } from '../errors.ts';

const MAX_PARTS = 100;

/**
 * The text fields of a `multipart/form-data` body (file parts are skipped): what
 * DRF's MultiPartParser gives `request.data` for a login or token form.
 */
export function parseMultipart(raw: Buffer, contentType: string): Record<string, string> {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match ? (match[1] ?? match[2]).trim() : '';
  if (!boundary || boundary.length > 200) {
    throw new ParseError('Multipart form parse error - Invalid boundary in multipart: None');
  }
  const out: Record<string, string> = Object.create(null);
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  let parts = 0;
  while (start !== -1) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    if (++parts > MAX_PARTS) throw new ParseError('Multipart form parse error - Too many parts');
    const part = raw.subarray(start + delimiter.length, next);
    readPart(part, out);
    start = next;
  }
  return out;
}

function readPart(part: Buffer, out: Record<string, string>): void {
  const body = part.subarray(part[0] === 0x0d && part[1] === 0x0a ? 2 : 0);
  const split = body.indexOf('\r\n\r\n');
  if (split === -1) return;
  const head = body.subarray(0, split).toString('latin1');
  const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(head);
  if (!disposition || /filename\*?=/i.test(disposition[1])) return;
  const name = /\bname="([^"]*)"/i.exec(disposition[1]);
  if (!name) return;
  let value = body.subarray(split + 4);
  if (value.length >= 2 && value[value.length - 2] === 0x0d && value[value.length - 1] === 0x0a) {
    value = value.subarray(0, value.length - 2);
  }
  out[name[1]] = value.toString('utf8');
}
