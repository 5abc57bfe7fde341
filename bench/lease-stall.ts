/**
 * The revocation bus's lease, measured on a private redis-server: how long a
 * confirmed revocation takes (published on A, applied and acknowledged by B),
 * and how soon a frozen Redis (SIGSTOP) stops both instances' caches
 * (`healthy` false), against the bound the lease promises (`leaseMs`, 500 ms
 * by default: no heartbeat sent after the freeze can come back). Printed as
 * tables; needs redis-server on PATH.
 *
 *   node bench/lease-stall.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { connectRedis, type RedisConnection } from '#gatehouse/stores/redis';

const STALLS = 10;
const REVOCATIONS = 300;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', () => reject(new Error(`redis-server exited: ${out}`)));
  });
  return child;
}

/** Resolves with the ms until `test()` holds, polling on every turn (setImmediate). */
async function until(test: () => boolean, started: number, limitMs = 10_000): Promise<number> {
  while (!test()) {
    if (performance.now() - started > limitMs) throw new Error('timed out');
    await new Promise((resolve) => setImmediate(resolve));
  }
  return performance.now() - started;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

const port = await freePort();
const redis = await startRedis(port);
const connections: RedisConnection[] = [];
try {
  const url = `redis://127.0.0.1:${port}`;
  for (const name of ['a', 'b']) connections.push(await connectRedis(url, { prefix: 'bench:', name }));
  const [a, b] = connections;
  let heard = 0;
  b.bus.subscribe(() => heard++);
  // A lease after the subscriptions, so no publish waits for instances it could not have heard of.
  await new Promise((resolve) => setTimeout(resolve, 600));

  const confirm: number[] = [];
  for (let i = 0; i < REVOCATIONS; i++) {
    const started = performance.now();
    await a.bus.publish({ kind: 'session', keyHash: `h${i}` });
    confirm.push(performance.now() - started);
    if (heard !== i + 1) throw new Error('B had not applied the revocation when publish resolved');
  }
  confirm.sort((x, y) => x - y);

  const stalls: number[] = [];
  for (let i = 0; i < STALLS; i++) {
    await until(() => a.bus.healthy && b.bus.healthy, performance.now());
    // Freeze at a random point of the heartbeat cycle.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 200));
    const started = performance.now();
    redis.kill('SIGSTOP');
    stalls.push(await until(() => !a.bus.healthy && !b.bus.healthy, started));
    redis.kill('SIGCONT');
  }
  stalls.sort((x, y) => x - y);

  console.log(`| confirmed revocation, A → B (${REVOCATIONS}) | p50 (ms) | p99 (ms) | max (ms) |`);
  console.log('| --- | ---: | ---: | ---: |');
  console.log(
    `| publish resolved (B applied and acknowledged) | ${percentile(confirm, 50).toFixed(2)} | ${percentile(confirm, 99).toFixed(2)} | ${confirm.at(-1)!.toFixed(2)} |`,
  );
  console.log('');
  console.log(`| Redis frozen (SIGSTOP), ${STALLS} times | min (ms) | median (ms) | max (ms) | bound (ms) |`);
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(
    `| both caches stopped | ${stalls[0].toFixed(0)} | ${percentile(stalls, 50).toFixed(0)} | ${stalls.at(-1)!.toFixed(0)} | 500 |`,
  );
} finally {
  redis.kill('SIGCONT');
  await Promise.all(connections.map((c) => c.close()));
  redis.kill('SIGKILL');
}
