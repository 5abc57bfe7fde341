import { type AuthRequest, headerValues } from '../request.ts';

/**
 * DRF's `get_authorization_header(request).split()`: the header as latin-1
 * bytes split on runs of ASCII whitespace (Python's `bytes.split()`). Node
 * already hands header values over as latin-1 text. Two Authorization headers
 * are ambiguous and yield a value no scheme accepts.
 */
export function authorizationParts(req: AuthRequest): string[] {
  const values = headerValues(req, 'authorization');
  if (values.length === 0) return [];
  if (values.length > 1) return ['', ''];
  return values[0].split(/[ \t\n\r\v\f]+/).filter((part) => part !== '');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Whether a latin-1 header token decodes as UTF-8 (DRF's `auth[1].decode()`). */
export function decodesAsUtf8(token: string): boolean {
  // ASCII is UTF-8: every key and JWT we issue takes this loop and allocates nothing.
  for (let i = 0; i < token.length; i++) {
    if (token.charCodeAt(i) > 0x7f) return decodesSlowly(token);
  }
  return true;
}

function decodesSlowly(token: string): boolean {
  try {
    UTF8.decode(Buffer.from(token, 'latin1'));
    return true;
  } catch {
    return false;
  }
}
