/**
 * `npm start` (and, built, `npx gatehouse runserver`): the reference server of
 * CONTRACT.md on the configured stores (default: the embedded SQLite file
 * var/db.sqlite3, created on first start). A start that fails says why in
 * one line: exit status 2 for a setting, 1 for a service that does not answer.
 */
import { exitOnStartupError, loadConfig } from '../src/index.ts';
import { startServer } from './start.ts';

try {
  const server = await startServer(loadConfig(), (line) => console.log(line));
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  exitOnStartupError(error);
}
