import { hash } from 'node:crypto';

/**
 * A set of strings held as the first 64 bits of their SHA-256: eight bytes a
 * member, so the rows one import run has seen (a million sessions: 8 MB) fit
 * however long the keys. Add everything, `seal()`, then ask `has` (a binary
 * search). Two different strings share a prefix with odds of about n²/2⁶⁵:
 * never, in practice.
 *
 * ```ts
 * const seen = new SeenSet();
 * seen.add('1'); seen.add('2');
 * seen.seal();
 * seen.has('2'); // true
 * ```
 */
export class SeenSet {
  #items = new BigUint64Array(1024);
  #size = 0;
  #sealed = false;

  get size(): number {
    return this.#size;
  }

  add(value: string): void {
    if (this.#sealed) throw new Error('SeenSet: sealed');
    if (this.#size === this.#items.length) {
      const grown = new BigUint64Array(this.#items.length * 2);
      grown.set(this.#items);
      this.#items = grown;
    }
    this.#items[this.#size++] = prefix(value);
  }

  /** Sorts what was added; from now on `has` answers and `add` throws. */
  seal(): this {
    this.#items = this.#items.slice(0, this.#size).sort();
    this.#sealed = true;
    return this;
  }

  has(value: string): boolean {
    if (!this.#sealed) throw new Error('SeenSet: seal() first');
    const wanted = prefix(value);
    let low = 0;
    let high = this.#size - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const item = this.#items[mid];
      if (item === wanted) return true;
      if (item < wanted) low = mid + 1;
      else high = mid - 1;
    }
    return false;
  }
}

function prefix(value: string): bigint {
  return hash('sha256', value, 'buffer').readBigUInt64BE(0);
}
