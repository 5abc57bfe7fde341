/**
 * Usernames that pass for someone else's: `pаypal` with a Cyrillic `а` beside
 * the Latin `paypal`. Django's UnicodeUsernameValidator admits both; Gatehouse
 * refuses a name that mixes Latin with Cyrillic or Greek letters, and a name
 * whose Latin reading (its skeleton, after Unicode TR39's idea) is an existing
 * user's name — as django-allauth and GitHub do.
 *
 * ```ts
 * await lookalikeProblem('аdmin', (name) => users.getByUsername(name));
 * // 'Enter a valid username. This value may not mix Latin letters with Cyrillic or Greek ones.'
 * ```
 */

// Cyrillic and Greek letters drawn like Latin ones (the cross-script pairs of TR39's confusables list
// that matter for usernames), mapped to the Latin letter they pass for.
const LATIN_READING: Readonly<Record<string, string>> = Object.freeze({
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  һ: 'h',
  і: 'i',
  ї: 'i',
  ј: 'j',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  А: 'A',
  В: 'B',
  Е: 'E',
  Ё: 'E',
  З: '3',
  І: 'I',
  Ї: 'I',
  Ј: 'J',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  Ѕ: 'S',
  Ԁ: 'D',
  Ԛ: 'Q',
  Ԝ: 'W',
  α: 'a',
  ο: 'o',
  ρ: 'p',
  ν: 'v',
  ι: 'i',
  κ: 'k',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ϲ: 'c',
  ϳ: 'j',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
  Ϲ: 'C',
});

const LATIN = /\p{Script=Latin}/u;
const CYRILLIC_OR_GREEK = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;

/** The Latin reading of a name: every look-alike Cyrillic or Greek letter replaced by its Latin twin. */
export function latinSkeleton(username: string): string {
  let out = '';
  for (const char of username) out += LATIN_READING[char] ?? char;
  return out;
}

/**
 * Why a (normalised, already valid) username may not be registered, or null.
 * `lookup` finds an existing user by exact name. The name is at most 150
 * characters by then, so the per-character work is bounded.
 */
export async function lookalikeProblem(
  username: string,
  lookup: (name: string) => Promise<unknown>,
): Promise<string | null> {
  let latin = false;
  let other = false;
  for (const char of username) {
    latin ||= LATIN.test(char);
    other ||= CYRILLIC_OR_GREEK.test(char);
  }
  if (latin && other) {
    return 'Enter a valid username. This value may not mix Latin letters with Cyrillic or Greek ones.';
  }
  const skeleton = latinSkeleton(username);
  if (skeleton !== username && (await lookup(skeleton)) !== null) {
    return 'A user with a similar username already exists.';
  }
  return null;
}
