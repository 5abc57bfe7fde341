/**
 * Password hashing costs on this machine: `node bench/passwords.ts`.
 * Prints the median time of one argon2id hash and verify, one Django
 * pbkdf2_sha256 verify at 1,000,000 iterations, and how many logins per second
 * N concurrent verifies reach on the libuv threadpool (UV_THREADPOOL_SIZE,
 * default 4) across the machine's cores.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Argon2idHasher, DjangoPbkdf2Hasher, PasswordHashers, ScryptHasher } from '../src/passwords/index.ts';

const DJANGO_52 = 'pbkdf2_sha256$1000000$YGaHRYa5HNwQRWf1oEQmHp$AVraCZod/JTLBuvHnmqMn+t6/DA6e01WhBoBl/hHKFc=';
const PASSWORD = 'correct horse battery staple';

async function median(runs: number, f: () => Promise<unknown>): Promise<number> {
  await f(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await f();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Logins per second with `concurrency` verifies in flight until `total` are done. */
async function throughput(
  concurrency: number,
  total: number,
  verify: () => Promise<unknown>,
): Promise<number> {
  let started = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      await verify();
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (total / (performance.now() - start)) * 1000;
}

const argon2id = new Argon2idHasher();
const pbkdf2 = new DjangoPbkdf2Hasher();
const hashers = new PasswordHashers();
const encoded = await argon2id.hash(PASSWORD);

const rows: [string, string][] = [
  ['argon2id hash (m=19456, t=2, p=1)', `${(await median(15, () => argon2id.hash(PASSWORD))).toFixed(1)} ms`],
  ['argon2id verify', `${(await median(15, () => argon2id.verify(PASSWORD, encoded))).toFixed(1)} ms`],
  [
    'unknown user (dummy argon2id verify)',
    `${(await median(15, () => hashers.dummyVerify(PASSWORD))).toFixed(1)} ms`,
  ],
  [
    'pbkdf2_sha256 verify (1,000,000 iterations)',
    `${(await median(7, () => pbkdf2.verify('password', DJANGO_52))).toFixed(1)} ms`,
  ],
];
const scrypt = new ScryptHasher();
const scrypted = await scrypt.hash(PASSWORD);
rows.push([
  'scrypt verify (N=2^17, r=8, p=1)',
  `${(await median(5, () => scrypt.verify(PASSWORD, scrypted))).toFixed(1)} ms`,
]);

for (const n of [1, 2, 4, 8, 16]) {
  const perSecond = await throughput(n, 30 * Math.max(n, 4), () => argon2id.verify(PASSWORD, encoded));
  rows.push([`argon2id logins/s, ${n} concurrent`, perSecond.toFixed(0)]);
}
for (const n of [1, 4]) {
  const perSecond = await throughput(n, 8 * Math.max(n, 2), () => pbkdf2.verify('password', DJANGO_52));
  rows.push([`pbkdf2 (1M) logins/s, ${n} concurrent`, perSecond.toFixed(1)]);
}

const pool = process.env.UV_THREADPOOL_SIZE ?? '4 (default)';
const load = loadavg()[0].toFixed(2); // other work on the machine skews every figure
console.log(
  `Node ${process.version}, ${availableParallelism()} cores, UV_THREADPOOL_SIZE=${pool}, load ${load}\n`,
);
const width = Math.max(...rows.map(([label]) => label.length));
console.log(`${'measure'.padEnd(width)} | result`);
console.log(`${'-'.repeat(width)}-|-${'-'.repeat(10)}`);
for (const [label, value] of rows) console.log(`${label.padEnd(width)} | ${value}`);
