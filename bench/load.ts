/**
 * The load generator: wrk (C, from Debian) pinned to core 0 when present —
 * it needs far less CPU than a JS load generator — else autocannon in this
 * process. 20 connections, one thread; every endpoint is warmed once (JIT,
 * caches) before its first measurement.
 *
 * ```ts
 * const { rps, p99 } = await load('http://127.0.0.1:8000/api/profile/', { authorization: 'Token …' }, 2);
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import autocannon from 'autocannon';
import { pinned } from './processes.ts';

export const WRK = existsSync('/usr/bin/wrk');
export const CONNECTIONS = 20;

/** One measurement: requests per second, and the 99th percentile latency in ms. */
export interface Measured {
  rps: number;
  p99: number;
}

const warmed = new Set<string>();

/** Measures `url` for `seconds`; throws when any answer is not a 2xx. */
export async function load(url: string, headers: Record<string, string>, seconds: number): Promise<Measured> {
  if (!WRK) return autocannonLoad(url, headers, seconds);
  const key = `${url} ${JSON.stringify(headers)}`;
  if (!warmed.has(key)) parseWrk(url, await runWrk(url, headers, '-d2').output);
  warmed.add(key);
  return parseWrk(url, await runWrk(url, headers, `-d${seconds}`).output);
}

/**
 * wrk driving `url` until `stop()` (SIGINT: wrk stops and prints what it
 * measured so far), for measurements taken while a server is under full load.
 */
export function backgroundLoad(url: string, headers: Record<string, string>): { stop(): Promise<Measured> } {
  if (!WRK) throw new Error('the background load needs wrk (/usr/bin/wrk)');
  const wrk = runWrk(url, headers, '-d3600');
  return {
    async stop() {
      wrk.child.kill('SIGINT');
      return parseWrk(url, await wrk.output);
    },
  };
}

function runWrk(
  url: string,
  headers: Record<string, string>,
  duration: string,
): { child: ChildProcess; output: Promise<string> } {
  const flags = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const [command, ...args] = pinned(0, [
    '/usr/bin/wrk',
    '-t1',
    `-c${CONNECTIONS}`,
    duration,
    '--latency',
    ...flags,
    url,
  ]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const output = new Promise<string>((resolve, reject) => {
    child.once('exit', (code, signal) =>
      code === 0 || signal === 'SIGINT'
        ? resolve(out)
        : reject(new Error(`wrk exited ${code ?? signal}: ${out}`)),
    );
  });
  return { child, output };
}

function parseWrk(url: string, out: string): Measured {
  if (/Non-2xx/.test(out)) throw new Error(`${url}: non-2xx responses\n${out}`);
  // Timeouts (no answer within wrk's 2 s) are a stall of this shared machine, shown but not fatal;
  // a refused or broken connection is a failure of the server.
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  if (errors?.slice(1, 4).some((n) => n !== '0')) throw new Error(`${url}: socket errors\n${out}`);
  if (errors) console.log(`  (${errors[4]} requests timed out after 2 s: ${url})`);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)\b/.exec(out);
  if (!(rps > 0) || !p99) throw new Error(`${url}: cannot read wrk's output\n${out}`);
  const ms = Number(p99[1]) * (p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1);
  return { rps, p99: Math.round(ms * 100) / 100 };
}

async function autocannonLoad(
  url: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<Measured> {
  await autocannon({ url, connections: CONNECTIONS, duration: 1, headers }); // warm-up: JIT, caches
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}
