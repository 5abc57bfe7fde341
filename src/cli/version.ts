import { readFileSync } from 'node:fs';

/**
 * This package's version, from its package.json: two folders up in a
 * checkout (src/cli/), three when built (dist/src/cli/).
 *
 * ```ts
 * packageVersion(); // '0.1.0'
 * ```
 */
export function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'gatehouse-auth' && manifest.version) return manifest.version;
    } catch {
      // not this folder
    }
  }
  return 'unknown';
}
