import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A reference server started by {@link startServer}. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  /** The server's own SQLite file, in a temporary folder removed by `stop()`. */
  dbPath: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its temporary folder. */
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
const START_TIMEOUT_MS = 15_000;

/**
 * Starts the reference server (`server/main.ts`) as a child process, exactly
 * as `npm start` does, on a port the kernel picks (PORT=0), with a fresh
 * SQLite database and SECRET_KEY in a temporary folder. Resolves once
 * `/healthz` answers 200.
 *
 * The parent's `DATABASE_URL`, `REDIS_URL`, `SECRET_KEY` and `GATEHOUSE_*`
 * variables are not inherited, so a developer's settings never leak into a
 * test; pass what a test needs in `env`.
 *
 * ```ts
 * const server = await startServer({ GATEHOUSE_LOGIN_RATE: '100/min' });
 * await fetch(`${server.url}/api/me/`);
 * await server.stop();
 * ```
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-server-'));
  const dbPath = join(dir, 'db.sqlite3');
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('GATEHOUSE_') &&
        ![
          'DATABASE_URL',
          'REDIS_URL',
          'SECRET_KEY',
          'HOST',
          'PORT',
          'NODE_TEST_CONTEXT',
          'NODE_OPTIONS',
        ].includes(key),
    ),
  );
  // The temporary folder is the working directory: a stray relative path (var/) lands there too.
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN], {
    cwd: dir,
    env: {
      ...inherited,
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: `sqlite:${dbPath}`,
      SECRET_KEY: randomBytes(32).toString('base64url'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  // The last few KiB of stderr, to explain a server that dies in the middle of a test.
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk).slice(-4096);
  });
  let stopped: Promise<void> | null = null;
  child.once('exit', (code, signal) => {
    if (stopped) return;
    process.stderr.write(
      `test server pid ${child.pid} (${dir}) exited unexpectedly: ${signal ?? `exit code ${code}`}\n${stderrTail}\n`,
    );
  });
  const stop = () => {
    stopped ??= (async () => {
      process.removeListener('exit', killOnExit);
      await terminate(child);
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    const port = await listeningPort(child);
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url);
    return { url, port, dbPath, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Reads the port from the server's "Gatehouse listening on http://127.0.0.1:PORT" line. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(
      () => fail(new Error(`server did not start within ${START_TIMEOUT_MS} ms\n${stdout}${stderr}`)),
      START_TIMEOUT_MS,
    );
    const onExit = (code: number | null, signal: string | null) =>
      fail(new Error(`server exited (${signal ?? code}) before listening\n${stdout}${stderr}`));
    const onStdout = (chunk: Buffer) => {
      stdout += chunk;
      const match = /listening on https?:\/\/[^\s]*?:(\d+)/.exec(stdout);
      if (match) done(Number(match[1]));
    };
    const onStderr = (chunk: Buffer) => {
      stderr += chunk;
    };
    function cleanup() {
      clearTimeout(timer);
      child.removeListener('exit', onExit);
      child.stdout?.removeListener('data', onStdout);
    }
    function done(port: number) {
      cleanup();
      resolve(port);
    }
    function fail(error: Error) {
      cleanup();
      reject(error);
    }
    child.once('exit', onExit);
    child.stdout?.on('data', onStdout);
    child.stderr?.on('data', onStderr);
    // Keep draining both pipes after start-up so the child never blocks on a full pipe.
    child.stdout?.resume();
    child.stderr?.resume();
  });
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}: ${await res.text()}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url}/healthz did not answer 200 within ${START_TIMEOUT_MS} ms (last: ${last})`);
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
