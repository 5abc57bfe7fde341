/**
 * Gatehouse in a Fastify 5 app. `mount` serves every endpoint of the library
 * (CSRF, session login, API tokens, JWT, …) and the DRF guides' two example
 * resources in one call, as an encapsulated plugin (the app's own routes keep
 * Fastify's JSON parser); `protect` guards the app's own routes. Configured
 * by the environment variables of the reference server: HOST, PORT,
 * DATABASE_URL (default var/db.sqlite3), SECRET_KEY, GATEHOUSE_*.
 *
 *   npm start
 *   npx gatehouse createuser alice --password-stdin
 */
import Fastify from 'fastify';
import {
  exitOnStartupError,
  type Gatehouse,
  IsAuthenticated,
  jsonResponse,
  loadConfig,
  openGatehouse,
  type Route,
} from 'gatehouse-auth';
import { mount, protect } from 'gatehouse-auth/fastify';

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
  const app = Fastify();
  await mount(app, [...gh.urls(), ...resources(gh)]);

  // The app's own routes: the guard as an onRequest hook (before Fastify parses the body, so a
  // refused request is never parsed) or as a preHandler (after) — the handler reads the body either way.
  const notes: { id: number; author: string; text: string }[] = [];
  const guard = protect(gh, { permissions: [IsAuthenticated] });
  app.post('/api/notes/', { onRequest: guard }, async (request, reply) => {
    const text = noteText(request.body);
    if (text === null) return reply.code(400).send({ text: ['This field is required.'] });
    const note = { id: notes.length + 1, author: request.gatehouse.user.username, text };
    notes.push(note);
    return reply.code(201).send(note);
  });
  app.post('/api/notes/preview/', { preHandler: guard }, async (request, reply) => {
    const text = noteText(request.body);
    if (text === null) return reply.code(400).send({ text: ['This field is required.'] });
    return { author: request.gatehouse.user.username, text, length: text.length };
  });

  const address = await app.listen({ host: config.host, port: config.port });
  // Listening for the signals before saying where it listens: a stop right after that line is clean.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void app.close().then(() => gh.close()));
  console.log(`Fastify example listening on ${address}`);
}

main().catch((error: unknown) => exitOnStartupError(error, 'fastify-example'));
