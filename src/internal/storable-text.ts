/**
 * Whether every store can hold a string as sent: no NUL (PostgreSQL's text
 * refuses it with an error, a 500) and no lone surrogate (encoded to UTF-8 it
 * silently becomes U+FFFD, another value). A lookup by such a value can find
 * nothing, so it answers "not found" without a query (issue 8.7).
 *
 * ```ts
 * isStorableText('3f2a9c'); // true
 * isStorableText('3f2a\u0000'); // false
 * ```
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\0') && value.isWellFormed();
}
