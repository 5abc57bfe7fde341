/**
 * `npm start` (and `npx gatehouse runserver`): the reference server of
 * CONTRACT.md on the configured stores (default: the embedded SQLite file
 * var/db.sqlite3, created on first start).
 */
import { ConfigurationError, loadConfig, openGatehouse, StoreUnavailableError } from '../src/index.ts';
import { buildApp } from './app.ts';

try {
  const config = loadConfig();
  const gh = await openGatehouse(config);
  const app = await buildApp(gh, config);
  const address = await app.listen({ host: config.host, port: config.port });
  const where = config.database.kind === 'sqlite' ? config.database.path : 'PostgreSQL';
  console.log(
    `Gatehouse listening on ${address} (database: ${where}${config.redisUrl ? ', Redis cache' : ''})`,
  );
  const stop = async () => {
    await app.close();
    await gh.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigurationError) {
    console.error(`gatehouse: ${error.message}`);
    process.exit(2);
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`gatehouse: cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
  if (error instanceof StoreUnavailableError) {
    console.error(`gatehouse: cannot start: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
