/**
 * The documentation compiles: every TypeScript block of README.md and
 * docs/*.md imports from `gatehouse-auth…` (never `./src/…`) and
 * type-checks, strict, against the packed package — each block a module of
 * its own, all of them in one tsc run. And no Markdown link of the
 * repository points outside it or at nothing.
 *
 * ```sh
 * node --test test/package/docs.test.ts
 * ```
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '#gatehouse';
import { installRoot, REPO, run } from '../helpers/package.ts';

interface Block {
  file: string;
  /** The line of the block's first code line in its file. */
  line: number;
  code: string;
}

function docPages(): string[] {
  const docs = readdirSync(join(REPO, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

/** Every ```ts (or ```typescript) block of a Markdown file. */
function tsBlocks(file: string): Block[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    blocks.push({ file, line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** Modules a documented block may import: the package, Node's own, and the frameworks and drivers it names. */
const ALLOWED_IMPORT =
  /^(gatehouse-auth(\/[a-z/-]+)?|node:[a-z/_]+|express|fastify|hono(\/[a-z-]+)?|@hono\/node-server|pg|ioredis)$/;

describe('the documentation', () => {
  const blocks = docPages().flatMap(tsBlocks);

  test('has TypeScript blocks, and each imports from gatehouse-auth…, never from ./src/', () => {
    assert.ok(blocks.length > 10, `found ${blocks.length} blocks`);
    const wrong = blocks.flatMap((block) =>
      [...block.code.matchAll(/\bfrom\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
        .map((m) => m[1] ?? m[2])
        .filter((specifier) => !ALLOWED_IMPORT.test(specifier))
        .map((specifier) => `${block.file}:${block.line}: imports ${specifier}`),
    );
    assert.deepEqual(wrong, []);
  });

  test('every TypeScript block type-checks (strict) against the packed package, in one tsc run', async (t) => {
    const root = await installRoot();
    const dir = mkdtempSync(join(root, 'docs-check-'));
    const names = blocks.map((block, i) => {
      const name = `${block.file.replace(/\W+/g, '-')}-${i}.ts`;
      writeFileSync(join(dir, name), `${block.code}\n`);
      return name;
    });
    writeFileSync(join(dir, 'package.json'), '{"type":"module","private":true}');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          target: 'es2024',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          moduleDetection: 'force',
          lib: ['es2024'],
          types: ['node'],
        },
        files: names,
      }),
    );
    t.diagnostic(`${blocks.length} blocks from ${docPages().length} pages`);
    const result = await run(join(root, 'node_modules/.bin/tsc'), ['-p', dir], {
      cwd: dir,
      allowFailure: true,
    });
    // Errors name the generated file and line: say which page and line of it instead.
    const located = `${result.stdout}${result.stderr}`.replace(
      /([\w.-]+\.ts)\((\d+),(\d+)\)/g,
      (whole, name: string, line: string) => {
        const block = blocks[names.indexOf(name)];
        return block ? `${block.file}:${block.line + Number(line) - 1}` : whole;
      },
    );
    rmSync(dir, { recursive: true, force: true });
    assert.equal(result.code, 0, located);
  });
});

/** The files of a folder, recursively, that end with `suffix` (never node_modules). */
function filesEnding(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith(suffix) && !entry.parentPath.includes('node_modules'),
    )
    .map((entry) => join(entry.parentPath, entry.name));
}

test('every security requirement id a test name carries is explained in docs/security.md', () => {
  const page = readFileSync(join(REPO, 'docs/security.md'), 'utf8');
  const explained = new Set([...page.matchAll(/^\| ([A-Z]{2,5}-\d{2}b?) \|/gm)].map((m) => m[1]));
  const missing = new Set<string>();
  for (const file of [
    ...filesEnding(join(REPO, 'src'), '.test.ts'),
    ...filesEnding(join(REPO, 'test'), '.test.ts'),
  ]) {
    const source = readFileSync(file, 'utf8');
    for (const title of source.matchAll(/\b(?:test|describe)\(\s*(['"`])((?:(?!\1).)*)\1/g)) {
      for (const [id] of title[2].matchAll(/\b(?!UTF-)[A-Z]{2,5}-\d{2}b?\b/g)) {
        if (!explained.has(id)) missing.add(`${id} (${relative(REPO, file)})`);
      }
    }
  }
  assert.deepEqual([...missing].sort(), []);
});

/** The README's configuration table: each variable with the default it documents (null: none to set). */
function configurationTable(): Map<string, string | null> {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'));
  const table = new Map<string, string | null>();
  for (const [, names, defaults] of section.matchAll(/^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \| ([^|]+) \|/gm)) {
    const variables = [...names.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]);
    const values = [...defaults.matchAll(/`([^`]*)`/g)].map((m) => m[1]);
    for (const [i, name] of variables.entries()) {
      const literal = /^`[^`]*`(, `[^`]*`)*$/.test(defaults.trim()) && values.length === variables.length;
      table.set(name, literal ? values[i] : null);
    }
  }
  return table;
}

test("the README's configuration table: every variable loadConfig reads, each with loadConfig's own default", () => {
  const table = configurationTable();
  const cwd = tmpdir();
  const base = { SECRET_KEY: 'a-secret-key-of-at-least-thirty-two-bytes' };
  const read = new Set<string>();
  const recording = new Proxy(base as Record<string, string | undefined>, {
    get(target, name: string) {
      read.add(name);
      return target[name];
    },
  });
  const defaults = loadConfig(recording, cwd);
  assert.deepEqual(
    [...read].filter((name) => !table.has(name)),
    [],
    'variables loadConfig reads that the README does not list',
  );
  for (const [name, value] of table) {
    if (value === null) continue; // "unset", "empty", "generated into var/secret.key"
    assert.deepEqual(
      loadConfig({ ...base, [name]: value }, cwd),
      defaults,
      `${name}=${value} is the default`,
    );
  }
});

/** Every Markdown file of the repository (not dependencies, builds or test output). */
function markdownFiles(dir = REPO): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (['node_modules', 'dist', 'var', '.git', 'test-results'].includes(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

test('no Markdown link points outside the repository, or at a file that is not there', () => {
  const broken: string[] = [];
  for (const file of markdownFiles()) {
    const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
    for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1];
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      const path = resolve(dirname(file), decodeURI(target.replace(/#.*$/, '')));
      const where = `${relative(REPO, file)}: ${target}`;
      if (relative(REPO, path).startsWith('..')) broken.push(`${where} (outside the repository)`);
      else if (!existsSync(path)) broken.push(`${where} (no such file)`);
    }
  }
  assert.deepEqual(broken, []);
});
