/**
 * Issue 8.1 (ReDoS), by static analysis: every regular expression in src/,
 * server/ and cli/ is checked for super-linear backtracking with
 * redos-detector (pure JavaScript, deterministic: no time limit, a step
 * budget). A backtracking engine retries an unanchored pattern at every start
 * position, so `/ +$/` or the `[…]+$` half of a trim regex is O(n²) on a long
 * inner run of spaces; redos-detector models that retry and flags it.
 *
 * A flagged pattern is fixed (index loops, an unambiguous rewrite), or, when it
 * is linear in fact or only ever sees input capped before it, listed in
 * REVIEWED with the reason. `new RegExp` with a computed pattern is listed in
 * COMPUTED with the patterns it builds, which are checked like literals.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { isSafePattern } from 'redos-detector';
import { type FoundRegex, findRegexes } from '../helpers/regex-literals.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** Patterns redos-detector flags that were reviewed and are linear where they run. Key: `file /source/flags`. */
const REVIEWED: Record<string, string> = {
  'src/http/multipart.ts /boundary=(?:"([^"]+)"|([^;]+))/i':
    'once `boundary=` matched, `[^;]+` fails only on a `;`, where the quoted branch fails too: a start costs O(1) unless it is the match; runs on the Content-Type header (16 KiB at most)',
  'src/http/multipart.ts /content-disposition:\\s*form-data;([^\\r\\n]*)/i':
    'the tail `([^\\r\\n]*)` cannot fail, and `\\s*` is followed by a literal it excludes: each start costs O(1) plus the spaces after its own prefix; runs on one part header',
  'src/http/multipart.ts /\\bname="([^"]*)"/i':
    '`[^"]*"` fails only when no quote follows, so only the last `name="` scans to the end; runs on the disposition line of one part',
  'src/internal/client-address.ts /(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)$/':
    'reached only with an address isIPv6() accepted, its zone cut off: at most 45 characters (capped before it looks)',
};

/** `new RegExp(<computed>)` sites: the argument as written, and every pattern it builds. */
const COMPUTED: Record<string, { source: string; flags: string }[]> = {
  'src/passwords/django-pbkdf2.ts `^${this.algorithm}\\\\$([1-9][0-9]{0,9})\\\\$([^$]+)\\\\$([A-Za-z0-9+/]+={0,2})$`':
    ['pbkdf2_sha256', 'pbkdf2_sha1'].map((algorithm) => ({
      source: `^${algorithm}\\$([1-9][0-9]{0,9})\\$([^$]+)\\$([A-Za-z0-9+/]+={0,2})$`,
      flags: '',
    })),
  'src/tokens/opaque-token.ts `^${TOKEN_PREFIX}[A-Za-z0-9]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`': [
    { source: '^gth_[A-Za-z0-9]{38}$', flags: '' },
  ],
  // A route path, escaped, with `:param` as `([^/]+)` (APPEND_SLASH, node:http's router).
  'src/http/route-pattern.ts `^${source}$`': [
    { source: '^/api/sessions/([^/]+)/$', flags: '' },
    { source: '^/\\.well-known/jwks\\.json$', flags: '' },
  ],
  'src/passwords/django-bcrypt.ts `^${this.algorithm}\\\\$(\\\\$2[aby]\\\\$(0[4-9]|[12][0-9]|3[01])\\\\$[./A-Za-z0-9]{53})$`':
    ['bcrypt_sha256', 'bcrypt'].map((algorithm) => ({
      source: `^${algorithm}\\$(\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53})$`,
      flags: '',
    })),
  'src/passwords/django-salted-digest.ts `^${this.algorithm}\\\\$([^$]{1,100})\\\\$[0-9a-f]{${HEX_CHARS[this.algorithm]}}$`':
    [
      { source: '^md5\\$([^$]{1,100})\\$[0-9a-f]{32}$', flags: '' },
      { source: '^sha1\\$([^$]{1,100})\\$[0-9a-f]{40}$', flags: '' },
    ],
};

/** redos-detector's verdict: null when linear, else why not. */
function superLinear(source: string, flags: string): string | null {
  const result = isSafePattern(source, {
    unicode: /[uv]/.test(flags),
    caseInsensitive: flags.includes('i'),
    dotAll: flags.includes('s'),
    multiLine: flags.includes('m'),
  });
  return result.safe ? null : `${result.error} (score ${result.score.infinite ? '∞' : result.score.value})`;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function everyRegex(): FoundRegex[] {
  return ['src', 'server', 'examples']
    .filter((dir) => existsSync(join(ROOT, dir)))
    .flatMap((dir) => sourceFiles(join(ROOT, dir)))
    .flatMap((file) => findRegexes(readFileSync(file, 'utf8'), relative(ROOT, file)));
}

describe('issue 8.1 ReDoS: regex lint', () => {
  test('issue 8.1 ReDoS: the scanner finds regex literals and RegExp calls, not divisions, comments or strings', () => {
    const text = [
      'const a = x / 2 / y; // not /a regex/',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test
      "const b = '/not a regex/' + `/nor ${'this'} /`;",
      'const c = /^a+$/u.test(s) ? 1 : /[/]b/g;',
      'if (ok) return /c\\/d/;',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test
      'const d = `${s.replace(/e+/, "")}`;',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test
      "new RegExp('f+$', 'g'); RegExp(\"g\\\\s\"); new RegExp(`^${h}$`);",
      '/* /not either/ */ const e = (i) / 3;',
    ].join('\n');
    const found = findRegexes(text, 'fixture.ts').map((r) =>
      r.kind === 'literal' ? `${r.line} /${r.source}/${r.flags}` : `${r.line} computed ${r.text}`,
    );
    assert.deepEqual(found, [
      '3 /^a+$/u',
      '3 /[/]b/g',
      '4 /c\\/d/',
      '5 /e+/',
      '6 /f+$/g',
      '6 /g\\s/',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test
      '6 computed `^${h}$`',
    ]);
  });

  test('issue 8.1 ReDoS: the checker flags the quadratic shapes of the issue and passes linear ones', () => {
    const quadratic = [
      // The trims of python-str.ts, safe-redirect.ts and request.ts before the fix.
      '^[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+|[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+$',
      '^ +| +$',
      '\\s+$',
      '\\s*[\\r\\n]+\\s*',
      '(a+)+$',
      '^(\\w+\\s?)*$',
      // accounts.ts's e-mail pattern before the fix: `a@` and a long run of dots.
      '^[^\\s@<>()[\\]\\\\,;:"]+@[^\\s@<>()[\\]\\\\,;:"]+\\.[^\\s@<>()[\\]\\\\,;:"]{2,}$',
    ];
    for (const source of quadratic) assert.notEqual(superLinear(source, 'u'), null, source);
    const linear = ['^[a-z]+$', '^\\s*-?\\d+\\s*$', '^[\\x00-\\x20]+', '[^\\p{L}\\p{N}_]+', '=', '\\s+'];
    for (const source of linear) assert.equal(superLinear(source, 'u'), null, source);
  });

  test('issue 8.1 ReDoS: no regex in src/ (the CLI included), server/ or examples/ backtracks super-linearly', () => {
    const found = everyRegex();
    assert.ok(found.length > 50, `only ${found.length} regexes found: is the scanner broken?`);
    const problems: string[] = [];
    const reviewedSeen = new Set<string>();
    const computedSeen = new Set<string>();
    const check = (where: string, key: string, source: string, flags: string) => {
      const verdict = superLinear(source, flags);
      if (verdict === null) return;
      if (key in REVIEWED) reviewedSeen.add(key);
      else problems.push(`${where} /${source}/${flags}: ${verdict}`);
    };
    for (const r of found) {
      const where = `${r.file}:${r.line}`;
      if (r.kind === 'computed') {
        const key = `${r.file} ${r.text}`;
        const expansions = COMPUTED[key];
        if (!expansions) {
          problems.push(`${where} new RegExp(${r.text}): computed pattern; list what it builds in COMPUTED`);
          continue;
        }
        computedSeen.add(key);
        for (const { source, flags } of expansions) check(where, key, source, flags);
        continue;
      }
      // A lexing mistake would show here as a pattern that does not compile.
      assert.doesNotThrow(() => new RegExp(r.source, r.flags), `${where} /${r.source}/${r.flags}`);
      check(where, `${r.file} /${r.source}/${r.flags}`, r.source, r.flags);
    }
    assert.deepEqual(problems, []);
    // No stale entries: each one still names a pattern in the source (and one that still needs it).
    assert.deepEqual(
      Object.keys(REVIEWED).filter((key) => !reviewedSeen.has(key)),
      [],
    );
    assert.deepEqual(
      Object.keys(COMPUTED).filter((key) => !computedSeen.has(key)),
      [],
    );
  });
});
