/**
 * `npm start` (and, built, `npx gatehouse runserver`): the reference server of
 * CONTRACT.md on the configured stores (default: the embedded SQLite file
 * var/db.sqlite3, created on first start). A start that fails says why in
 * one line: exit status 2 for a setting, 1 for a service that does not answer.
 */
import { exitOnStartupError, loadConfig } from '../src/index.ts';
import { startServer } from './start.ts';

// Listening for the signals before the "listening" line is out: a supervisor that stops the
// server as soon as it reads that line must not find Node's default action (death by signal).
const stopped = new Promise((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});
try {
  const server = await startServer(loadConfig(), (line) => console.log(line));
  await stopped;
  await server.close();
  process.exit(0);
} catch (error) {
  exitOnStartupError(error);
}
