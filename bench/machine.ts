/**
 * The machine a run was taken on, for the results file: CPU model and cores,
 * Node, the OS and kernel, and the load average (a busy neighbour shows).
 *
 * ```ts
 * console.log(describeMachine()); // "AMD EPYC, 2 cores; Node v24.21.0; Debian GNU/Linux 12 (bookworm), Linux 6.1…"
 * ```
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release } from 'node:os';

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function describeMachine(): string {
  const model =
    /^model name\s*:\s*(.+)$/m.exec(read('/proc/cpuinfo'))?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  const os = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(read('/etc/os-release'))?.[1] ?? process.platform;
  return `${model.trim()}, ${availableParallelism()} cores; Node ${process.version}; ${os}, Linux ${release()}`;
}

/** The 1-, 5- and 15-minute load averages, e.g. "0.12 0.30 0.41". */
export function loadAverage(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}
