/**
 * `npm test`: every test of the project under node's test runner. Suites that
 * need PostgreSQL, Redis or Chromium run when those answer here; otherwise
 * they are skipped and named. Under CI=true nothing may be skipped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Debian's Django stack (the interop suites): /usr/bin/python3 importing Django, DRF, simplejwt, djoser. */
function djangoPresent(): boolean {
  if (!existsSync('/usr/bin/python3')) return false;
  const probe = spawnSync(
    '/usr/bin/python3',
    ['-c', 'import django, rest_framework, rest_framework_simplejwt, djoser, argon2, bcrypt'],
    { stdio: 'ignore' },
  );
  return probe.status === 0;
}

const services = {
  postgres: await reachable(5432),
  redis: await reachable(6379),
  chromium: existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
  django: djangoPresent(),
};
const missing = Object.entries(services)
  .filter(([, up]) => !up)
  .map(([name]) => name);

if (missing.length > 0) {
  if (process.env.CI === 'true') {
    console.error(`npm test: CI=true but ${missing.join(', ')} not available; refusing to skip suites.`);
    process.exit(1);
  }
  console.log(
    `npm test: skipping the suites that need ${missing.join(', ')} (not available on this machine).`,
  );
}

const env = {
  ...process.env,
  GATEHOUSE_TEST_POSTGRES: services.postgres ? '1' : '0',
  GATEHOUSE_TEST_REDIS: services.redis ? '1' : '0',
  GATEHOUSE_TEST_CHROMIUM: services.chromium ? '1' : '0',
  GATEHOUSE_TEST_DJANGO: services.django ? '1' : '0',
};
const args = ['--test', '--test-concurrency=2', ...process.argv.slice(2)];
if (process.argv.length <= 2) args.push('src/**/*.test.ts', 'test/**/*.test.ts');
const child = spawn(process.execPath, args, { stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
