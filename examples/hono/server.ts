/**
 * Gatehouse in a Hono app on Node (@hono/node-server). `mount` serves every
 * endpoint of the library (CSRF, session login, API tokens, JWT, …) and the
 * DRF guides' two example resources in one call; `protect` guards the app's
 * own routes and sets `c.get('gatehouse')`. Configured by the environment
 * variables of the reference server: HOST, PORT, DATABASE_URL (default
 * var/db.sqlite3), SECRET_KEY, GATEHOUSE_*.
 *
 *   npm start
 *   npx gatehouse createuser alice --password-stdin
 */
import { serve } from '@hono/node-server';
import {
  exitOnStartupError,
  type Gatehouse,
  IsAuthenticated,
  jsonResponse,
  loadConfig,
  openGatehouse,
  type Route,
} from 'gatehouse-auth';
import { type GatehouseVariables, mount, protect } from 'gatehouse-auth/hono';
import { Hono } from 'hono';
import { validator } from 'hono/validator';

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
  const app = new Hono<{ Variables: GatehouseVariables }>();
  mount(app, [...gh.urls(), ...resources(gh)]);

  // The app's own routes: the guard before the body is read, or a validator that reads it first.
  const notes: { id: number; author: string; text: string }[] = [];
  const guard = protect(gh, { permissions: [IsAuthenticated] });
  app.post('/api/notes/', guard, async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    if (body === undefined) return c.json({ detail: 'JSON parse error' }, 400);
    const text = noteText(body);
    if (text === null) return c.json({ text: ['This field is required.'] }, 400);
    const note = { id: notes.length + 1, author: c.get('gatehouse').user.username, text };
    notes.push(note);
    return c.json(note, 201);
  });
  const note = validator(
    'json',
    (body, c) => noteText(body) ?? c.json({ text: ['This field is required.'] }, 400),
  );
  app.post('/api/notes/preview/', note, guard, (c) => {
    const text = c.req.valid('json');
    return c.json({ author: c.get('gatehouse').user.username, text, length: text.length });
  });

  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port });
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Listening for the signals before saying where it listens: a stop right after that line is clean.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => server.close(() => void gh.close()));
  console.log(`Hono example listening on http://${config.host}:${port}`);
}

main().catch((error: unknown) => exitOnStartupError(error, 'hono-example'));
