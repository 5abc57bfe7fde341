/**
 * The servers under measurement, as child processes pinned to a core with
 * taskset (when it exists): servers on core 1, the load generator on core 0,
 * so each side has a whole core of this 2-core machine. A server is started
 * once it prints the URL it listens on.
 *
 * ```ts
 * const server = await startProcess('server/main.ts', { env: { DATABASE_URL: 'sqlite:/tmp/db' } });
 * await fetch(`${server.url}/healthz`);
 * await server.stop();
 * ```
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const ROOT = new URL('..', import.meta.url).pathname;
export const TASKSET = existsSync('/usr/bin/taskset');

// Whatever happens to this process, no server it started outlives it.
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A started server: where it listens, and how to stop it. */
export interface Started {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Default: the repository. */
  cwd?: string;
  /** The core it is pinned to (default 1, the servers' core); null: not pinned. */
  core?: number | null;
}

/** `[command, ...args]` pinned to `core` when taskset exists. */
export function pinned(core: number | null, command: string[]): string[] {
  return TASKSET && core !== null ? ['/usr/bin/taskset', '-c', String(core), ...command] : command;
}

/** Starts `node <script>`; resolves once it printed an `http://host:port` line. */
export function startProcess(script: string, options: StartOptions = {}): Promise<Started> {
  return new Promise((resolve, reject) => {
    const node = [process.execPath, '--disable-warning=ExperimentalWarning', script];
    const [command, ...args] = pinned(options.core === undefined ? 1 : options.core, node);
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, PORT: '0', ...options.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    let out = '';
    let started = false;
    child.stdout!.on('data', (chunk) => {
      if (started) return; // drained, not kept: the security log writes a line per event
      out += chunk;
      const match = /(http:\/\/[\d.]+:\d+)/.exec(out);
      if (!match) return;
      started = true;
      resolve({ url: match[1], child, stop: () => stopChild(child) });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}: ${out}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Runs a command to its end; resolves with its stdout, rejects with its stderr. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`))
          : resolve(stdout),
    );
    child.stdin!.end(options.input ?? '');
  });
}
