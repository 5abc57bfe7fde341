/**
 * The package as a user gets it: `npm pack` of this checkout (its prepack
 * builds dist/), installed into an empty folder, with the command line and
 * the reference server working from there; and its declarations, type-checked
 * in strict mode against the latest @types/node without skipLibCheck.
 *
 * ```sh
 * node --test test/package/pack.test.ts
 * ```
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { installRoot, npm, packedPackage, REPO, run, startListening, userEnv } from '../helpers/package.ts';

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  exports: Record<string, { types: string; default: string }>;
};

describe('npm pack', () => {
  test('gatehouse-auth-<version>.tgz: JavaScript and declarations for every export, the CLI, the server, LICENSE and README', async (t) => {
    const pack = await packedPackage();
    assert.match(
      pack.tarball,
      new RegExp(`/gatehouse-auth-${manifest.version.replaceAll('.', '\\.')}\\.tgz$`),
    );
    t.diagnostic(`${pack.files.length} files, ${(pack.size / 1024).toFixed(1)} KiB packed`);
    const files = new Set(pack.files);
    for (const [subpath, entry] of Object.entries(manifest.exports)) {
      for (const file of [entry.types, entry.default]) {
        assert.ok(files.has(file.replace(/^\.\//, '')), `${subpath}: ${file} is in the tarball`);
      }
    }
    for (const file of [
      'package.json',
      'LICENSE',
      'README.md',
      'bin/gatehouse.js',
      'dist/src/cli/main.js',
      'dist/server/main.js',
      'dist/server/start.js',
      'dist/server/public/index.html',
      'dist/server/public/app.js',
      'dist/server/public/app.css',
    ]) {
      assert.ok(files.has(file), `${file} is in the tarball`);
    }
  });

  test('no TypeScript that Node would refuse under node_modules, no tests, no source maps', async () => {
    const { files } = await packedPackage();
    const refused = files.filter(
      (f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || /\.test\.|\.map$|(^|\/)test\//.test(f),
    );
    assert.deepEqual(refused, []);
    assert.deepEqual(
      files.filter((f) => f.startsWith('dist/server/') && f.endsWith('.d.ts')),
      [],
      'the server is a program: no declarations',
    );
  });

  test('LICENSE is the license package.json names (BSD-3-Clause)', () => {
    assert.equal(manifest.license, 'BSD-3-Clause');
    const license = readFileSync(join(REPO, 'LICENSE'), 'utf8');
    assert.match(license, /^BSD 3-Clause License\n/);
    assert.match(license, /Neither the name of the copyright holder nor the names of its\s+contributors/);
  });
});

describe('installed into an empty folder: npm install <tarball>, then npx gatehouse', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-user-'));
    await npm(['install', (await packedPackage()).tarball], dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('npx gatehouse --version', async () => {
    const { stdout, stderr } = await run('npx', ['gatehouse', '--version'], { cwd: dir });
    assert.equal(stdout, `${manifest.version}\n`);
    assert.equal(stderr, '');
  });

  test('npx gatehouse createuser alice --password-stdin creates var/db.sqlite3 and says so', async () => {
    const { stdout, stderr } = await run('npx', ['gatehouse', 'createuser', 'alice', '--password-stdin'], {
      cwd: dir,
      input: 'Pw-12345678\n',
      env: userEnv({ GATEHOUSE_SECURITY_LOG: 'off' }),
    });
    assert.equal(stdout, 'Created user alice.\n');
    assert.match(stderr, new RegExp(`^Generated a new secret key in ${dir}/var/secret\\.key`));
    assert.match(stderr, new RegExp(`\nCreated the database ${dir}/var/db\\.sqlite3\\.\n$`));
  });

  test('npx gatehouse createtoken and migrate: the other commands run from the package too', async () => {
    const env = userEnv({ GATEHOUSE_SECURITY_LOG: 'off' });
    const token = await run('npx', ['gatehouse', 'createtoken', 'alice', '--name', 'ci'], { cwd: dir, env });
    assert.match(token.stdout, /^Generated token gth_[A-Za-z0-9]{38} for user alice\n$/);
    const migrate = await run('npx', ['gatehouse', 'migrate'], { cwd: dir, env });
    assert.equal(migrate.stdout, 'Database is up to date.\n');
    const unknown = await run('npx', ['gatehouse', 'tokens', 'bob'], { cwd: dir, env, allowFailure: true });
    assert.deepEqual([unknown.code, unknown.stderr], [1, 'gatehouse: tokens: user "bob" does not exist\n']);
  });

  test('npx gatehouse runserver: /healthz, the app at /, its script, and alice logs in', async () => {
    const server = await startListening('npx', ['gatehouse', 'runserver'], {
      cwd: dir,
      env: userEnv({ PORT: '0', GATEHOUSE_SECURITY_LOG: 'off' }),
    });
    try {
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(await health.text(), '{"status":"ok"}');
      const page = await fetch(`${server.url}/`);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(await page.text(), /<script type="module" src="\/app\.js"><\/script>/);
      const script = await fetch(`${server.url}/app.js`);
      assert.equal(script.status, 200);
      assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.doesNotMatch(
        await script.text(),
        /^interface /m,
        'the script is JavaScript, its types stripped',
      );
      const login = await fetch(`${server.url}/api-token-auth/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username":"alice","password":"Pw-12345678"}',
      });
      assert.equal(login.status, 200);
      assert.match(await login.text(), /^\{"token":"gth_[A-Za-z0-9]{38}"\}$/);
    } finally {
      assert.equal(await server.stop(), true, 'SIGTERM ends it');
      await assert.rejects(fetch(`${server.url}/healthz`), 'nothing listens any more');
    }
  });
});

describe('the declarations', () => {
  test('a strict file importing the root and every subpath type-checks with the latest @types/node, without skipLibCheck', async (t) => {
    const root = await installRoot();
    const types = JSON.parse(readFileSync(join(root, 'node_modules/@types/node/package.json'), 'utf8')) as {
      version: string;
    };
    t.diagnostic(`@types/node ${types.version}`);
    const dir = mkdtempSync(join(root, 'types-check-'));
    const subpaths = Object.keys(manifest.exports).map((key) => `gatehouse-auth${key.slice(1)}`);
    writeFileSync(
      join(dir, 'check.ts'),
      [
        ...subpaths.map((s, i) => `import * as m${i} from '${s}';`),
        `export const modules = [${subpaths.map((_, i) => `m${i}`).join(', ')}];`,
        // A few uses, so the types are read, not only resolved.
        `const gh: m0.Gatehouse = await m0.openGatehouse(m0.loadConfig({ SECRET_KEY: 'x'.repeat(32) }, '/tmp'));`,
        `export const routes: m0.Route[] = gh.urls();`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          target: 'es2024',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          lib: ['es2024'],
          types: ['node'],
        },
        files: ['check.ts'],
      }),
    );
    writeFileSync(join(dir, 'package.json'), '{"type":"module","private":true}');
    const result = await run(join(root, 'node_modules/.bin/tsc'), ['-p', dir], {
      cwd: dir,
      allowFailure: true,
    });
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });
});
