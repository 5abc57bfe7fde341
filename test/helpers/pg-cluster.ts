/**
 * A throwaway PostgreSQL cluster for fault tests, on a free port, deleted after
 * (initdb refuses root, so as root the cluster belongs to the postgres user).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);
// runuser lives in sbin, which a CI PATH may lack.
const RUNUSER =
  ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => existsSync(p)) ?? 'runuser';
const bin = ['17', '16', '15', '14']
  .map((v) => `/usr/lib/postgresql/${v}/bin`)
  .find((d) => existsSync(`${d}/initdb`));
// initdb refuses to run as root, so as root the cluster belongs to the postgres user.
const asRoot = process.getuid?.() === 0;

export async function skipReason(): Promise<string | undefined> {
  if (process.env.GATEHOUSE_TEST_POSTGRES === '0')
    return 'PostgreSQL not available (GATEHOUSE_TEST_POSTGRES=0)';
  if (process.env.CI === 'true') return undefined; // nothing is skipped in CI: a missing binary fails loudly
  if (!bin) return 'PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql';
  if (asRoot && !(await run('id', ['-u', 'postgres']).catch(() => null)))
    return 'running as root without a postgres user';
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway cluster: `start`/`stop` are pg_ctl's, stop being an immediate (crash-like) shutdown. */
export async function privateCluster(extra = '') {
  const dir = await mkdtemp(join(tmpdir(), 'gh-pg-'));
  const port = await freePort();
  const pgRun = (tool: string, args: string[]) =>
    asRoot ? run(RUNUSER, ['-u', 'postgres', '--', `${bin}/${tool}`, ...args]) : run(`${bin}/${tool}`, args);
  if (asRoot) {
    const [uid, gid] = await Promise.all(
      ['-u', '-g'].map(async (f) => Number((await run('id', [f, 'postgres'])).stdout)),
    );
    await chown(dir, uid, gid);
  }
  await pgRun('initdb', ['-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres', '--no-sync']).catch(
    async (error) => {
      await rm(dir, { recursive: true, force: true });
      throw error;
    },
  );
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off ${extra}`;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => pgRun('pg_ctl', ['-D', `${dir}/data`, '-o', opts, '-l', `${dir}/log`, '-w', 'start']),
    stop: () => pgRun('pg_ctl', ['-D', `${dir}/data`, '-m', 'immediate', '-w', 'stop']),
    async remove() {
      await this.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
