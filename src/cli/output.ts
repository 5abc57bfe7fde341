/**
 * Printing for the CLI: values that came from users or browsers (a session's
 * user agent, a token's name) are escaped before they reach a terminal, so a
 * stored escape sequence cannot rewrite the screen.
 *
 * ```ts
 * formatTable(['ID', 'NAME'], [['3f2a', 'laptop']]);
 * // ID    NAME
 * // 3f2a  laptop
 * ```
 */

const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The value with control and bidi characters shown as `\xNN` / `\uNNNN`. */
export function printable(value: string): string {
  return value.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Left-aligned columns two spaces apart; every cell passes through `printable`. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers, ...rows.map((row) => row.map(printable))];
  const widths = headers.map((_, col) => Math.max(...cells.map((row) => [...(row[col] ?? '')].length)));
  return cells
    .map((row) =>
      row
        .map((cell, col) =>
          col === row.length - 1 ? cell : cell + ' '.repeat(widths[col] - [...cell].length),
        )
        .join('  '),
    )
    .join('\n');
}

/** `2026-11-22T12:00:00Z` (UTC, whole seconds), or `fallback` for null. */
export function formatTime(ms: number | null, fallback = 'never'): string {
  return ms === null ? fallback : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** At most `max` characters, with `…` when cut. */
export function truncate(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

/** `1 expired session`, `3 expired sessions`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
