import { ValidationError } from '../errors.ts';
import { pyLen, pyStrip } from '../passwords/python-str.ts';

export interface CharFieldSpec {
  required?: boolean;
  /** DRF's CharField trims by default; password fields set this false. */
  trim?: boolean;
  allowBlank?: boolean;
  maxLength?: number;
  default?: string;
}

/**
 * DRF's serializer validation of CharFields, with DRF's messages and field
 * order. Returns the cleaned values or throws ValidationError.
 *
 * ```ts
 * const { username, password } = charFields(data, { username: {}, password: { trim: false } });
 * ```
 */
export function charFields<K extends string>(
  data: unknown,
  spec: Record<K, CharFieldSpec>,
): Record<K, string> {
  if (data === null) throw new ValidationError({ non_field_errors: ['No data provided'] });
  if (typeof data !== 'object' || Array.isArray(data)) {
    const got = Array.isArray(data) ? 'list' : data === null ? 'NoneType' : pythonType(data);
    throw new ValidationError({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${got}.`] });
  }
  const input = data as Record<string, unknown>;
  const errors: Record<string, string[]> = {};
  const out = {} as Record<K, string>;
  for (const name of Object.keys(spec) as K[]) {
    const field = spec[name];
    const present = Object.hasOwn(input, name);
    const raw = present ? input[name] : undefined;
    if (!present || raw === undefined) {
      if (field.default !== undefined) out[name] = field.default;
      else if (field.required !== false) errors[name] = ['This field is required.'];
      else out[name] = '';
      continue;
    }
    if (raw === null) {
      errors[name] = ['This field may not be null.'];
      continue;
    }
    if (typeof raw === 'boolean' || (typeof raw !== 'string' && typeof raw !== 'number')) {
      errors[name] = ['Not a valid string.'];
      continue;
    }
    let value = String(raw);
    // Python's strip() by index loops: linear on a megabyte of spaces (issue 8.1).
    if (field.trim !== false) value = pyStrip(value);
    if (value === '' && !field.allowBlank) {
      errors[name] = ['This field may not be blank.'];
      continue;
    }
    // DRF runs every validator and lists each failure, in this order.
    const problems: string[] = [];
    if (field.maxLength !== undefined && pyLen(value) > field.maxLength) {
      problems.push(`Ensure this field has no more than ${field.maxLength} characters.`);
    }
    if (value.includes('\0')) problems.push('Null characters are not allowed.');
    const surrogate = loneSurrogate(value);
    if (surrogate !== -1) {
      const code = surrogate.toString(16).toUpperCase().padStart(4, '0');
      problems.push(`Surrogate characters are not allowed: U+${code}.`);
    }
    if (problems.length > 0) {
      errors[name] = problems;
      continue;
    }
    out[name] = value;
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return out;
}

/** The first UTF-16 surrogate without its partner (DRF's ProhibitSurrogateCharactersValidator refuses it), or -1. */
function loneSurrogate(value: string): number {
  if (value.isWellFormed()) return -1;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0xd800 || code > 0xdfff) continue;
    const next = value.charCodeAt(i + 1);
    if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    else return code;
  }
  return -1;
}

function pythonType(value: unknown): string {
  if (typeof value === 'string') return 'str';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

const TRUE_VALUES = new Set([
  't',
  'T',
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
  '1',
]);
const FALSE_VALUES = new Set([
  'f',
  'F',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
  '0',
]);

/**
 * DRF's BooleanField: `true`/`false`, 1/0 and their usual spellings in forms
 * (`"yes"`, `"on"`, `"1"` …); absent means `fallback`. Anything else is
 * DRF's 400 `{"<name>":["Must be a valid boolean."]}`.
 *
 * ```ts
 * booleanField(ctx.data(), 'end_tokens', false) // true for {"end_tokens":true} or end_tokens=on
 * ```
 */
export function booleanField(data: unknown, name: string, fallback: boolean): boolean {
  const raw = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[name] : undefined;
  if (raw === undefined) return fallback;
  if (raw === true || raw === 1 || (typeof raw === 'string' && TRUE_VALUES.has(raw))) return true;
  if (raw === false || raw === 0 || (typeof raw === 'string' && FALSE_VALUES.has(raw))) return false;
  throw new ValidationError({ [name]: ['Must be a valid boolean.'] });
}
