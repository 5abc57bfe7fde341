/**
 * Finds every regular expression a TypeScript source file builds: `/…/flags`
 * literals, and `new RegExp(…)` / `RegExp(…)` calls (whose pattern is either a
 * plain string literal, read here, or computed, reported as such). A small
 * lexer, not a parser: it skips comments, strings and template text (nested
 * `${…}` included) and tells a regex from a division by the token before the
 * slash, which is all this codebase needs. The lint test checks that every
 * literal it returns compiles, so a lexing mistake fails loudly.
 *
 * ```ts
 * findRegexes('const A = /^a+$/u; new RegExp(`^${x}$`);', 'a.ts');
 * // [{ kind: 'literal', source: '^a+$', flags: 'u', line: 1, … },
 * //  { kind: 'computed', text: '`^${x}$`', line: 1, … }]
 * ```
 */

export type FoundRegex =
  | { kind: 'literal'; file: string; line: number; source: string; flags: string }
  | { kind: 'computed'; file: string; line: number; text: string };

// After these words a `/` starts a regex (`return /x/`); after any other word it divides.
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

const isWordChar = (c: string) => /[\w$]/.test(c);

export function findRegexes(text: string, file: string): FoundRegex[] {
  const found: FoundRegex[] = [];
  // Open `{` of code (false) and of template substitutions (true).
  const braces: boolean[] = [];
  let i = 0;
  // The last significant token: a word, or one punctuation character.
  let previous = '';
  const lineAt = (at: number) => text.slice(0, at).split('\n').length;

  /** Skips a quoted string starting at `i`; returns its end (after the quote). */
  const skipString = (from: number): number => {
    const quote = text[from];
    let j = from + 1;
    while (j < text.length && text[j] !== quote) j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  };

  /** Scans template text from `from` (just after a backtick or `}`); returns where code resumes. */
  const scanTemplate = (from: number): { end: number; substitution: boolean } => {
    let j = from;
    while (j < text.length) {
      if (text[j] === '\\') j += 2;
      else if (text[j] === '`') return { end: j + 1, substitution: false };
      else if (text[j] === '$' && text[j + 1] === '{') return { end: j + 2, substitution: true };
      else j++;
    }
    return { end: j, substitution: false };
  };

  /** The regex literal at `from` (a `/`): its source, flags and end. */
  const readRegex = (from: number) => {
    let j = from + 1;
    let inClass = false;
    while (j < text.length) {
      const c = text[j];
      if (c === '\\') j += 2;
      else {
        if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
        else if (c === '\n') throw new Error(`${file}:${lineAt(from)}: unterminated regex literal`);
        j++;
      }
    }
    const source = text.slice(from + 1, j);
    let k = j + 1;
    while (k < text.length && /[a-z]/.test(text[k])) k++;
    return { source, flags: text.slice(j + 1, k), end: k };
  };

  /** The first argument of a call whose `(` is at `open`: its text, up to the top-level `,` or `)`. */
  const firstArgument = (open: number): string => {
    let depth = 0;
    let j = open + 1;
    const start = j;
    while (j < text.length) {
      const c = text[j];
      if (c === "'" || c === '"') j = skipString(j);
      else if (c === '`') {
        // Walk the template, substitutions included.
        let t = scanTemplate(j + 1);
        while (t.substitution) {
          let d = 1;
          let k = t.end;
          while (d > 0 && k < text.length) {
            if (text[k] === '{') d++;
            else if (text[k] === '}') d--;
            k++;
          }
          t = scanTemplate(k);
        }
        j = t.end;
      } else if ('([{'.includes(c)) {
        depth++;
        j++;
      } else if (')]}'.includes(c) && depth > 0) {
        depth--;
        j++;
      } else if ((c === ',' || c === ')') && depth === 0) break;
      else j++;
    }
    return text.slice(start, j).trim();
  };

  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i === -1) break;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 2;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      i = skipString(i);
      previous = 'string';
      continue;
    }
    if (c === '`') {
      const t = scanTemplate(i + 1);
      if (t.substitution) braces.push(true);
      i = t.end;
      previous = t.substitution ? '{' : 'string';
      continue;
    }
    if (c === '{') braces.push(false);
    if (c === '}' && braces.pop() === true) {
      const t = scanTemplate(i + 1);
      if (t.substitution) braces.push(true);
      i = t.end;
      previous = t.substitution ? '{' : 'string';
      continue;
    }
    if (c === '/') {
      const divides = previous !== '' && (/^[\w$]/.test(previous) || ')]}'.includes(previous));
      if (!divides || KEYWORDS_BEFORE_EXPRESSION.has(previous)) {
        const { source, flags, end } = readRegex(i);
        found.push({ kind: 'literal', file, line: lineAt(i), source, flags });
        i = end;
        previous = 'regex';
        continue;
      }
    }
    if (isWordChar(c)) {
      let j = i;
      while (j < text.length && isWordChar(text[j])) j++;
      const word = text.slice(i, j);
      if (word === 'RegExp' && previous !== '.') {
        let k = j;
        while (/\s/.test(text[k] ?? '')) k++;
        if (text[k] === '(') {
          const argument = firstArgument(k);
          const plain = /^'[^'\\]*(?:\\.[^'\\]*)*'$|^"[^"\\]*(?:\\.[^"\\]*)*"$|^`[^`\\$]*(?:\\.[^`\\$]*)*`$/s;
          if (plain.test(argument)) {
            found.push({
              kind: 'literal',
              file,
              line: lineAt(i),
              source: unquote(argument),
              flags: secondArgumentFlags(text, k),
            });
          } else found.push({ kind: 'computed', file, line: lineAt(i), text: argument });
        }
      }
      previous = word;
      i = j;
      continue;
    }
    previous = c;
    i++;
  }
  return found;
}

/** The value of a plain (substitution-free) string literal, JavaScript escapes decoded. */
function unquote(literal: string): string {
  return literal
    .slice(1, -1)
    .replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[^ux])/g, (_, e: string) => {
      if (e.startsWith('u{')) return String.fromCodePoint(Number.parseInt(e.slice(2, -1), 16));
      if (e[0] === 'u' || e[0] === 'x') return String.fromCharCode(Number.parseInt(e.slice(1), 16));
      return { n: '\n', r: '\r', t: '\t', v: '\v', f: '\f', b: '\b', '0': '\0' }[e] ?? e;
    });
}

/** A `new RegExp(pattern, 'flags')` call's flags, when given as a plain string; '' otherwise. */
function secondArgumentFlags(text: string, open: number): string {
  const match = /^\((?:[^()'"`]|'[^']*'|"[^"]*"|`[^`]*`)*?,\s*(['"])([a-z]*)\1\s*\)/.exec(
    text.slice(open, open + 2000),
  );
  return match ? match[2] : '';
}
