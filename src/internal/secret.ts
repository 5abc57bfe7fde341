import { inspect } from 'node:util';

/** A value that must never reach a log: it redacts itself in `toString`, `toJSON` and `util.inspect`. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The secret itself, for the one place that needs it. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}
