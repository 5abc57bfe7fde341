/**
 * Starts the reference server on a configuration: `npm start` (server/main.ts)
 * and `npx gatehouse runserver` both come here. A first start says what it
 * created (the database, the secret key) and what to do next.
 *
 * ```ts
 * const server = await startServer(loadConfig(), console.log);
 * await server.close();
 * ```
 */

import { lookup } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { type Config, ConfigurationError, creationNotices, openGatehouse } from '../src/index.ts';
import { buildApp } from './app.ts';

/** A started reference server. */
export interface RunningServer {
  /** `http://127.0.0.1:8000`: where it listens. */
  address: string;
  /** Stops listening, then closes the stores. */
  close(): Promise<void>;
}

/** HOST must name an address before anything is created: a typo stops the start with one line. */
async function checkHost(host: string): Promise<void> {
  try {
    await lookup(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    throw new ConfigurationError(`HOST: cannot resolve ${JSON.stringify(host)} (${code})`);
  }
}

export async function startServer(config: Config, log: (line: string) => void): Promise<RunningServer> {
  await checkHost(config.host);
  const sqlite = config.database.kind === 'sqlite' ? config.database.path : null;
  const fresh = sqlite !== null && !existsSync(sqlite);
  const gh = await openGatehouse(config);
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let address: string;
  try {
    app = await buildApp(gh, config);
    address = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app?.close();
    await gh.close();
    throw error;
  }
  for (const line of creationNotices(config, fresh ? sqlite : null)) log(line);
  log(
    `Gatehouse listening on ${address} (database: ${sqlite ?? 'PostgreSQL'}${config.redisUrl ? ', Redis cache' : ''})`,
  );
  if (fresh || config.secretKeyGenerated)
    log(
      'Next: create a user with `npx gatehouse createuser USERNAME` (in this folder, with the same environment).',
    );
  const running = app;
  return {
    address,
    async close() {
      await running.close();
      await gh.close();
    },
  };
}
