/**
 * The CLI's argument parser: long options only (`--name N`, `--name=N`,
 * boolean `--staff`), `-h`/`--help` anywhere before `--`, and a fixed list of
 * required positionals. Every mistake is a `UsageError` with a one-line
 * message, which `main` turns into exit status 2.
 *
 * ```ts
 * const args = parseArgs(['alice', '--email', 'a@example.com'], {
 *   positionals: ['USERNAME'],
 *   options: { email: { type: 'string', value: 'E', description: 'e-mail address' } },
 * });
 * args.positionals; // ['alice']
 * args.options.email; // 'a@example.com'
 * ```
 */

export interface OptionSpec {
  /** `strings`: a value option that may be given more than once (`--key A --key B`), read as a list. */
  type: 'string' | 'strings' | 'boolean';
  /** Placeholder shown in the help, e.g. `SECONDS`. */
  value?: string;
  description: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export type OptionValues<S extends OptionSpecs> = {
  [K in keyof S]?: S[K]['type'] extends 'string'
    ? string
    : S[K]['type'] extends 'strings'
      ? string[]
      : boolean;
};

export interface ArgsSpec<S extends OptionSpecs> {
  /** Names of the required positionals, in order (`USERNAME`). */
  positionals: readonly string[];
  options: S;
}

export type ParsedArgs<S extends OptionSpecs> =
  | { help: true }
  | { help: false; positionals: string[]; options: OptionValues<S> };

/** A mistake in the command line: exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs<S extends OptionSpecs>(argv: readonly string[], spec: ArgsSpec<S>): ParsedArgs<S> {
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  if (flags.includes('--help') || flags.includes('-h')) return { help: true };

  const positionals: string[] = [];
  const options: Record<string, string | string[] | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (i === end) {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option ${quote(arg)}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const option = Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
    if (!option) throw new UsageError(`unknown option ${quote(eq === -1 ? arg : arg.slice(0, eq))}`);
    if (Object.hasOwn(options, name) && option.type !== 'strings')
      throw new UsageError(`--${name} given more than once`);
    if (option.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      options[name] = true;
    } else {
      let value: string;
      if (eq !== -1) value = arg.slice(eq + 1);
      else {
        // The next word is the value whatever it looks like: a password may start with "-".
        if (i + 1 >= argv.length || i + 1 === end)
          throw new UsageError(`--${name} needs a value (--${name} ${option.value ?? 'VALUE'})`);
        value = argv[++i];
      }
      if (option.type === 'strings')
        options[name] = [...((options[name] as string[] | undefined) ?? []), value];
      else options[name] = value;
    }
  }

  const missing = spec.positionals.find((_, i) => positionals[i] === undefined || positionals[i] === '');
  if (missing) throw new UsageError(`missing ${missing}`);
  if (positionals.length > spec.positionals.length) {
    throw new UsageError(`unexpected argument ${quote(positionals[spec.positionals.length])}`);
  }
  return { help: false, positionals, options: options as OptionValues<S> };
}

/** `--expires-in`-style whole numbers: digits only, within [min, max]. */
export function parseInteger(name: string, raw: string, min: number, max: number): number {
  const value = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name}: expected a whole number from ${min} to ${max}, got ${quote(raw)}`);
  }
  return value;
}

/** A user-supplied word, quoted, with control and bidi characters escaped: safe to print on a terminal. */
export function quote(value: string): string {
  return JSON.stringify(value).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// What JSON.stringify leaves alone but a terminal acts on: DEL, C1 controls, bidi overrides.
const UNSAFE = /[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
