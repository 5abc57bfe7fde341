/**
 * `npm run build` (and `prepack`, so `npm pack` on a clean checkout ships a
 * complete package): the library, the CLI and the reference server into
 * dist/ as JavaScript, with declarations for the library.
 *
 * - tsc compiles src/ (tests excluded) and server/, rewriting the `.ts`
 *   import extensions to `.js`: dist/src/… is what the exports map names,
 *   dist/server/… is what `npx gatehouse runserver` starts.
 * - The single-page app's script (server/public/app.ts) is stripped of its
 *   types here, as the server does at start in a checkout, and its page and
 *   styles are copied beside it.
 * - No source maps: the emitted JavaScript keeps the sources' names, comments
 *   and layout, so a stack trace reads as well without one, and maps whose
 *   sources are not shipped would point nowhere.
 *
 * ```sh
 * npm run build && ls dist/src/index.js dist/server/main.js dist/server/public/app.js
 * ```
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');

rmSync(DIST, { recursive: true, force: true });
execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(ROOT, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

// The reference server is a program, not a library: no declarations for it.
for (const entry of readdirSync(join(DIST, 'server'), { recursive: true, withFileTypes: true })) {
  if (entry.isFile() && entry.name.endsWith('.d.ts')) rmSync(join(entry.parentPath, entry.name));
}

const publicSource = join(ROOT, 'server', 'public');
const publicDist = join(DIST, 'server', 'public');
mkdirSync(publicDist, { recursive: true });
writeFileSync(
  join(publicDist, 'app.js'),
  stripTypeScriptTypes(readFileSync(join(publicSource, 'app.ts'), 'utf8'), { mode: 'strip' }),
);
for (const name of ['index.html', 'app.css']) copyFileSync(join(publicSource, name), join(publicDist, name));

console.log('built dist/');
