/**
 * The reference server's groups: session, token and JWT through server/main.ts
 * (Fastify) on SQLite (the `sqlite` group), and on PostgreSQL + Redis with
 * the cache on and off (the `stores` group), each request paired with the
 * bare Fastify route of bench/bare-server.ts.
 *
 * ```ts
 * const rows = await referenceScenarios('SQLite', { DATABASE_URL: 'sqlite:/tmp/db' }, bare, options);
 * ```
 */
import { credentials } from './credentials.ts';
import { type PairedRow, type PairOptions, paired, scenarios, type Yardstick } from './paired.ts';
import { startProcess } from './processes.ts';
import { SECRET_KEY } from './services.ts';

/** What every server under measurement is started with (the access token outlives any run). */
export const SERVER_ENV = {
  SECRET_KEY,
  HOST: '127.0.0.1',
  GATEHOUSE_ACCESS_TOKEN_LIFETIME: '86400',
};

/** Starts the reference server on `env`, logs alice in, measures the three scenarios. */
export async function referenceScenarios(
  label: string,
  env: Record<string, string>,
  bare: Yardstick,
  options: PairOptions,
): Promise<PairedRow[]> {
  const server = await startProcess('server/main.ts', { env: { ...SERVER_ENV, ...env } });
  try {
    // A second server on one database finds alice registered: the sign-up's 400 is fine.
    const creds = await credentials(server.url, 'alice', { register: true });
    const rows: PairedRow[] = [];
    for (const [name, path, headers] of scenarios(creds))
      rows.push(await paired(`${name} — ${label}`, server.url + path, headers, bare, options));
    return rows;
  } finally {
    await server.stop();
  }
}
