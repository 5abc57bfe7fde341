/**
 * A private `redis-server` child for the suites that freeze, cut or kill
 * Redis: nothing on disk, on a port of its own, so no other suite's Redis
 * is touched.
 *
 * ```ts
 * const redis = await startRedisServer();
 * redis.process.kill('SIGSTOP'); // frozen: connections stay open, nothing answers
 * await redis.stop();
 * ```
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export interface RedisServer {
  port: number;
  url: string;
  process: ChildProcess;
  /** SIGCONT (in case it is frozen), then SIGKILL; resolves once it exited. */
  stop(): Promise<void>;
}

/** Whether `redis-server` can be run here. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts redis-server on a free port; resolves once it accepts connections. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    // Keep reading stdout for the child's whole life, so its log never blocks on a full pipe.
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', () => reject(new Error(`redis-server exited before it was ready: ${out}`)));
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

/**
 * Why a suite that starts its own redis-server is skipped, or false. Under
 * CI=true nothing is skipped: a missing binary fails the suite loudly.
 */
export function redisServerSkipReason(): string | false {
  if (process.env.GATEHOUSE_TEST_REDIS === '0') return 'GATEHOUSE_TEST_REDIS=0';
  if (process.env.CI === 'true') return false;
  return !hasRedisServer() && 'redis-server not on PATH';
}
