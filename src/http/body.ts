import { ParseError, UnsupportedMediaType } from '../errors.ts';
import { type AuthRequest, header, mediaType } from '../request.ts';
import { parseMultipart } from './multipart.ts';

/** Deeper JSON than this is refused with 400 before it reaches JSON.parse or any walker. */
export const MAX_JSON_DEPTH = 64;

export type BodyKind = 'json' | 'form' | 'multipart';

export interface ParsedBody {
  kind: BodyKind | 'empty';
  /** JSON: any value. Form and multipart: a plain object of string fields (the last value of a repeated field). */
  data: unknown;
}

/**
 * DRF's parsers, lazily, in DRF's order of errors: 415 for a media type the
 * view does not accept, `JSON parse error - …` for bad JSON. An empty body is
 * empty data, as DRF's `request.data` is `{}`.
 *
 * ```ts
 * const { data } = parseBody(req, ['json', 'form', 'multipart']);
 * ```
 */
export function parseBody(
  req: AuthRequest,
  accept: readonly BodyKind[] = ['json', 'form', 'multipart'],
): ParsedBody {
  const raw = req.rawBody;
  const parsed = req.parsedBody;
  if ((!raw || raw.length === 0) && parsed === undefined) return { kind: 'empty', data: {} };
  const kind = bodyKind(req);
  // A body without a Content-Type is DRF's `Unsupported media type "" in request.`
  if (kind === null || !accept.includes(kind))
    throw new UnsupportedMediaType(header(req, 'content-type') ?? '');
  // The framework parsed it already (a global body parser ran first): take its reading.
  if (!raw || raw.length === 0) return { kind, data: parsed };
  if (kind === 'json') return { kind, data: parseJson(raw) };
  if (kind === 'form') return { kind, data: lastValues(new URLSearchParams(decodeUtf8(raw, 'Form'))) };
  return { kind, data: parseMultipart(raw, header(req, 'content-type') ?? '') };
}

/** Which of DRF's parsers a request's Content-Type selects, or null for none. */
export function bodyKind(req: AuthRequest): BodyKind | null {
  const type = mediaType(req);
  return type === 'application/json'
    ? 'json'
    : type === 'application/x-www-form-urlencoded'
      ? 'form'
      : type === 'multipart/form-data'
        ? 'multipart'
        : null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(raw: Buffer, what: string): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw new ParseError(`${what} parse error - 'utf-8' codec can't decode the request body`);
  }
}

/** Parses JSON text after checking its nesting depth; errors carry DRF's `JSON parse error - ` prefix. */
export function parseJson(raw: Buffer): unknown {
  const text = decodeUtf8(raw, 'JSON');
  if (text.charCodeAt(0) === 0xfeff)
    throw new ParseError('JSON parse error - Unexpected UTF-8 BOM (decode using utf-8-sig)');
  if (nestingDepth(text) > MAX_JSON_DEPTH) {
    throw new ParseError(`JSON parse error - Nesting deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ParseError(`JSON parse error - ${(error as Error).message}`);
  }
}

function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

function lastValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of params) out[key] = value;
  return out;
}
