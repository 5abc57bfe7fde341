#!/usr/bin/env node
// The `gatehouse` command. In a checkout (src/ beside this folder, not under node_modules) it runs
// the TypeScript sources as they are (Node 24's type stripping: a fast loop, never a stale build);
// installed from the package it runs the built JavaScript in dist/ (Node refuses TypeScript under
// node_modules, and the package ships none). This file stays plain JavaScript that old Node versions
// still parse: no top-level await, no `?.`, no TypeScript.
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
  if (
    warning.name === 'ExperimentalWarning' &&
    /^(Type Stripping|SQLite|stripTypeScriptTypes)\b/.test(warning.message)
  )
    return;
  for (const listener of printWarning) listener.call(process, warning);
});

const fs = process.getBuiltinModule('node:fs');
const here = new URL('.', import.meta.url);
const checkout =
  fs.existsSync(new URL('../src/cli/main.ts', here)) && !/[\\/]node_modules[\\/]/.test(here.pathname);
const cli = checkout ? '../src/cli/main.ts' : '../dist/src/cli/main.js';
const server = checkout ? '../server/start.ts' : '../dist/server/start.js';

// Node's on-disk compile cache (os.tmpdir()/node-compile-cache, or NODE_COMPILE_CACHE) keeps the
// stripped and compiled modules: it halves the start-up of every later run. NODE_DISABLE_COMPILE_CACHE=1 opts out.
import('node:module')
  .then((module) => {
    if (module.enableCompileCache) module.enableCompileCache();
  })
  .catch(() => {})
  .then(() => import(new URL(cli, here).href))
  .then(
    async ({ main }) => {
      process.exitCode = await main(process.argv.slice(2), undefined, {
        server: () => import(new URL(server, here).href),
      });
    },
    (error) => {
      process.stderr.write(`gatehouse: cannot load the CLI: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
