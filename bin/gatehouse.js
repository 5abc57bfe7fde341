#!/usr/bin/env node
// The `gatehouse` command. The CLI is TypeScript that Node 24 runs as is (type
// stripping), so older versions stop here with one line. This file stays plain
// JavaScript that old Node versions still parse: no top-level await, no `?.`, no TypeScript.
const major = Number(process.versions.node.split('.')[0]);
if (!(major >= 24)) {
  process.stderr.write(
    `gatehouse: Node.js 24 or newer is required (this is Node.js ${process.versions.node})\n`,
  );
  process.exit(2);
}

// Early 24.x releases warn that type stripping and node:sqlite are experimental;
// a CLI whose errors are one line must not print that. Every other warning still shows.
const printWarning = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'ExperimentalWarning' && /^(Type Stripping|SQLite)\b/.test(warning.message)) return;
  for (const listener of printWarning) listener.call(process, warning);
});

// Node's on-disk compile cache (os.tmpdir()/node-compile-cache, or NODE_COMPILE_CACHE) keeps the
// stripped and compiled modules: it halves the start-up of every later run. NODE_DISABLE_COMPILE_CACHE=1 opts out.
import('node:module')
  .then((module) => {
    if (module.enableCompileCache) module.enableCompileCache();
  })
  .catch(() => {})
  .then(() => import('../src/cli/main.ts'))
  .then(
    async ({ main }) => {
      process.exitCode = await main(process.argv.slice(2));
    },
    (error) => {
      process.stderr.write(`gatehouse: cannot load the CLI: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
