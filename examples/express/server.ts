/**
 * Gatehouse in an Express 5 app. `mount` serves every endpoint of the library
 * (CSRF, session login, API tokens, JWT, …) and the DRF guides' two example
 * resources in one call; `protect` guards the app's own routes. Configured by
 * the environment variables of the reference server: HOST, PORT,
 * DATABASE_URL (default var/db.sqlite3), SECRET_KEY, GATEHOUSE_*.
 *
 *   npm start
 *   npx gatehouse createuser alice --password-stdin
 */
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import {
  exitOnStartupError,
  type Gatehouse,
  IsAuthenticated,
  jsonResponse,
  loadConfig,
  openGatehouse,
  type Route,
} from 'gatehouse-auth';
import { mount, protect } from 'gatehouse-auth/express';

/** GET /api/dashboard/ (session first, as DRF's default) and GET /api/profile/ (token first: 401 + WWW-Authenticate). */
function resources(gh: Gatehouse): Route[] {
  const { session, token, jwt } = gh.authenticators;
  const dashboard = gh.view({
    name: 'Dashboard',
    permissions: [IsAuthenticated],
    handlers: {
      GET: (ctx) => jsonResponse(200, { message: `Hello ${ctx.user.username}, welcome to your dashboard` }),
    },
  });
  const profile = gh.view({
    name: 'Profile',
    authenticators: [token, jwt, session],
    permissions: [IsAuthenticated],
    handlers: { GET: (ctx) => jsonResponse(200, { username: ctx.user.username, email: ctx.user.email }) },
  });
  return [
    { name: 'dashboard', path: '/api/dashboard/', view: dashboard, group: 'example' },
    { name: 'profile', path: '/api/profile/', view: profile, group: 'example' },
  ];
}

/** The `text` of a note's JSON body, or null. */
function noteText(body: unknown): string | null {
  const text = (body as { text?: unknown } | null | undefined)?.text;
  return typeof text === 'string' && text.trim() !== '' ? text : null;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const gh = await openGatehouse(config);
  const app = express();
  mount(app, [...gh.urls(), ...resources(gh)]);

  // The app's own routes: the guard before the JSON parser, or after it — the body is read either way.
  const notes: { id: number; author: string; text: string }[] = [];
  const guard = protect(gh, { permissions: [IsAuthenticated] });
  app.post('/api/notes/', guard, express.json(), (req, res) => {
    const text = noteText(req.body);
    if (text === null) return void res.status(400).json({ text: ['This field is required.'] });
    const note = { id: notes.length + 1, author: req.gatehouse.user.username, text };
    notes.push(note);
    res.status(201).json(note);
  });
  app.post('/api/notes/preview/', express.json(), guard, (req, res) => {
    const text = noteText(req.body);
    if (text === null) return void res.status(400).json({ text: ['This field is required.'] });
    res.json({ author: req.gatehouse.user.username, text, length: text.length });
  });
  const badJson: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (!(error instanceof SyntaxError)) return next(error);
    res.status(400).json({ detail: `JSON parse error - ${error.message}` });
  };
  app.use(badJson);

  const server = app.listen(config.port, config.host);
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  // Listening for the signals before saying where it listens: a stop right after that line is clean.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => server.close(() => void gh.close()));
  console.log(`Express example listening on http://${config.host}:${port}`);
}

main().catch((error: unknown) => exitOnStartupError(error, 'express-example'));
