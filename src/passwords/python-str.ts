/**
 * The few Python `str` semantics Django's validators depend on, so the port
 * decides exactly as Django does (generated from Python 3.11 / Unicode 14).
 *
 * ```ts
 * pyLen('😀'); // 1 (code points; '😀'.length is 2)
 * pyStrip('\u001c pw \u3000'); // 'pw'
 * pyIsDigit('²³'); // true, as '²³'.isdigit() in Python
 * ```
 */

/** `len(s)`: Unicode code points, not UTF-16 units. */
export function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// str.isspace(): JavaScript's trim() misses U+001C–U+001F and strips U+FEFF, which Python keeps.
const SPACE =
  '\\t\\n\\v\\f\\r\\u001c-\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'gu');

/** `s.strip()` with Python's whitespace set. */
export function pyStrip(s: string): string {
  return s.replace(STRIP, '');
}

// str.isdigit(): decimal digits (Nd) plus the Numeric_Type=Digit characters (superscripts, circled digits…).
const DIGITS =
  /^[\p{Nd}\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]+$/u;

/** `s.isdigit()`: non-empty and every character a digit. */
export function pyIsDigit(s: string): boolean {
  return DIGITS.test(s);
}

/** `re.split(r'\W+', s)`: Python's `\w` is exactly letters, numbers and `_`. */
export function pySplitNonWord(s: string): string[] {
  return s.split(/[^\p{L}\p{N}_]+/u);
}
