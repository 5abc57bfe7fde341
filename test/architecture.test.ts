import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const FRAMEWORKS_AND_DRIVERS = ['fastify', 'express', 'hono', 'pg', 'ioredis', 'node:sqlite'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The modules a file imports; `dynamic: false` keeps only those loaded with it (static imports). */
function imports(file: string, options: { dynamic?: boolean } = {}): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ]
    .filter((m) => options.dynamic !== false || m[1] !== undefined)
    .map((m) => m[1] ?? m[2]);
}

/**
 * Every bare specifier loaded with an entry file through relative imports.
 * Dynamic `import()`s load only when reached (the PostgreSQL and Redis stores
 * when DATABASE_URL and REDIS_URL name them), so they are not followed.
 */
function reachablePackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of imports(file, { dynamic: false })) {
      if (spec.startsWith('.')) walk(resolve(dirname(file), spec));
      else
        packages.add(
          spec
            .split('/')
            .slice(0, spec.startsWith('@') ? 2 : 1)
            .join('/'),
        );
    }
  };
  walk(entry);
  return packages;
}

test('the core imports no web framework and no database driver', () => {
  const edges = ['adapters', 'stores/sqlite', 'stores/postgres', 'stores/redis', 'cli'].map((d) =>
    join(SRC, d),
  );
  const offenders = files(SRC)
    .filter((f) => !edges.some((edge) => f.startsWith(edge + '/')))
    .flatMap((f) =>
      imports(f)
        .filter((s) => FRAMEWORKS_AND_DRIVERS.includes(s))
        .map((s) => `${relative(ROOT, f)} imports ${s}`),
    );
  assert.deepEqual(offenders, []);
});

test('each adapter loads only its own framework', () => {
  for (const [adapter, own] of [
    ['express', 'express'],
    ['fastify', 'fastify'],
    ['hono', 'hono'],
    ['node-http', null],
  ] as const) {
    const loaded = reachablePackages(join(SRC, 'adapters', `${adapter}.ts`));
    const foreign = FRAMEWORKS_AND_DRIVERS.filter((p) => p !== own && loaded.has(p));
    assert.deepEqual(foreign, [], `${adapter} reaches ${foreign.join(', ')}`);
  }
});

test('the public entry point loads no framework and no network driver', () => {
  const loaded = reachablePackages(join(SRC, 'index.ts'));
  assert.deepEqual(
    ['fastify', 'express', 'hono', 'pg', 'ioredis'].filter((p) => loaded.has(p)),
    [],
  );
});

/** The package's public entry points: what `exports` in package.json names (in source form). */
const PUBLIC_ENTRIES = new Set(
  Object.values(
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).exports as Record<
      string,
      { default: string }
    >,
  ).map((entry) => entry.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts')),
);

test('server/ uses the public API only: the entry points of the exports map, never a module inside', () => {
  const offenders = files(join(ROOT, 'server')).flatMap((f) =>
    imports(f)
      .filter((s) => s.startsWith('.') && resolve(dirname(f), s).startsWith(SRC))
      .filter((s) => !PUBLIC_ENTRIES.has(relative(ROOT, resolve(dirname(f), s))))
      .map((s) => `${relative(ROOT, f)}: ${s}`),
  );
  assert.deepEqual(offenders, []);
});

test('the CLI uses the library, never the reference server', () => {
  const offenders = files(join(SRC, 'cli')).flatMap((f) =>
    imports(f)
      .filter((s) => s.includes('server/'))
      .map((s) => `${relative(ROOT, f)}: ${s}`),
  );
  assert.deepEqual(offenders, []);
});
