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

/**
 * `str.isspace()` for one UTF-16 unit: Python's whitespace (all of it in the
 * BMP). JavaScript's trim() misses U+001C–U+001F and U+0085 and strips U+FEFF,
 * which Python keeps.
 *
 * ```ts
 * pyIsSpace(0x1c); // true
 * pyIsSpace(0xfeff); // false (a BOM is not whitespace to Python)
 * ```
 */
export function pyIsSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/**
 * `s.strip()` with Python's whitespace set. Index loops, not `^\s+|\s+$`: a
 * backtracking engine retries that alternation's `\s+$` at every position of
 * a long inner run of spaces, O(n²) (issue 8.1).
 *
 * ```ts
 * pyStrip('\t\u3000 pw \ufeff'); // 'pw \ufeff'
 * ```
 */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && pyIsSpace(s.charCodeAt(start))) start++;
  while (end > start && pyIsSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
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
