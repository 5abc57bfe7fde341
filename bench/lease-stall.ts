/**
 * The `stall` group — the revocation bus's lease, measured on a private
 * redis-server: how soon a frozen Redis (SIGSTOP) stops both instances'
 * caches (`healthy` false: a cache serves only while its bus is healthy),
 * against the bound the lease promises (`leaseMs`, 500 ms by default: no
 * heartbeat sent after the freeze can come back), and how long a confirmed
 * revocation takes on the bus alone (published on A, applied and
 * acknowledged by B). Needs redis-server on PATH.
 *
 *   node bench/lease-stall.ts            # BENCH_STALLS=20 freezes (default)
 *
 * ```ts
 * const markdown = await stallTables({ stalls: 20, revocations: 300 });
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { connectRedis, type RedisConnection } from '#gatehouse/stores/redis';
import { percentile } from './percentile.ts';

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

/** Freezes a private Redis `stalls` times; returns the group's tables as markdown. */
export async function stallTables(options: { stalls: number; revocations: number }): Promise<string> {
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
    for (let i = 0; i < options.revocations; i++) {
      const started = performance.now();
      await a.bus.publish({ kind: 'session', keyHash: `h${i}` });
      confirm.push(performance.now() - started);
      if (heard !== i + 1) throw new Error('B had not applied the revocation when publish resolved');
    }
    confirm.sort((x, y) => x - y);

    const stalls: number[] = [];
    for (let i = 0; i < options.stalls; i++) {
      await until(() => a.bus.healthy && b.bus.healthy, performance.now());
      // Freeze at a random point of the heartbeat cycle.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 200));
      const started = performance.now();
      redis.kill('SIGSTOP');
      stalls.push(await until(() => !a.bus.healthy && !b.bus.healthy, started));
      redis.kill('SIGCONT');
    }
    stalls.sort((x, y) => x - y);
    console.log(
      `stalled Redis: every cache stopped after median ${percentile(stalls, 50).toFixed(0)} ms, max ${stalls.at(-1)!.toFixed(0)} ms`,
    );
    return [
      `| Redis frozen (SIGSTOP), ${stalls.length} times, two instances | min (ms) | median (ms) | max (ms) | bound (ms) |`,
      '| --- | ---: | ---: | ---: | ---: |',
      `| SIGSTOP → every cache stopped serving | ${stalls[0].toFixed(0)} | ${percentile(stalls, 50).toFixed(0)} | ${stalls.at(-1)!.toFixed(0)} | 500 |`,
      '',
      `| confirmed revocation on the bus alone, A → B (${confirm.length}, idle) | p50 (ms) | p99 (ms) | max (ms) |`,
      '| --- | ---: | ---: | ---: |',
      `| publish resolved (B applied and acknowledged) | ${percentile(confirm, 50).toFixed(2)} | ${percentile(confirm, 99).toFixed(2)} | ${confirm.at(-1)!.toFixed(2)} |`,
    ].join('\n');
  } finally {
    redis.kill('SIGCONT');
    await Promise.all(connections.map((c) => c.close()));
    redis.kill('SIGKILL');
  }
}

if (import.meta.main)
  console.log(await stallTables({ stalls: Number(process.env.BENCH_STALLS ?? 20), revocations: 300 }));
