/**
 * `npm run build`: the library into dist/ (JavaScript + declarations) with tsc,
 * which rewrites the `.ts` import extensions to `.js`. The exports map of
 * package.json points into dist/.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

rmSync('dist', { recursive: true, force: true });
execFileSync(join('node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { stdio: 'inherit' });
console.log('built dist/');
