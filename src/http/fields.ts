import { ValidationError } from '../errors.ts';

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
export function charFields<K extends string>(data: unknown, spec: Record<K, CharFieldSpec>): Record<K, string> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
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
    if (field.trim !== false) value = value.trim();
    if (value === '' && !field.allowBlank) {
      errors[name] = ['This field may not be blank.'];
      continue;
    }
    if (field.maxLength !== undefined && [...value].length > field.maxLength) {
      errors[name] = [`Ensure this field has no more than ${field.maxLength} characters.`];
      continue;
    }
    out[name] = value;
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return out;
}

function pythonType(value: unknown): string {
  if (typeof value === 'string') return 'str';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}
