/**
 * Gatehouse on a bare node:http server. `mount` serves every endpoint of the
 * library (CSRF, session login, API tokens, JWT, …) and the DRF guides' two
 * example resources, and hands every other request to the app; `protect`
 * guards the app's own routes. Configured by the environment variables of
 * the reference server: HOST, PORT, DATABASE_URL (default var/db.sqlite3),
 * SECRET_KEY, GATEHOUSE_*.
 *
 *   npm start
 *   npx gatehouse createuser alice --password-stdin
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exitOnStartupError,
  type Gatehouse,
  IsAuthenticated,
  jsonResponse,
  loadConfig,
  openGatehouse,
  type RequestContext,
  type Route,
  type User,
} from 'gatehouse-auth';
import { mount, protect } from 'gatehouse-auth/node-http';

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

/** A request as the app's routes see it: `body` once read, `gatehouse` once the guard let it through. */
type AppRequest = IncomingMessage & { body?: unknown; gatehouse?: RequestContext<User> };

/** Reads a JSON body (at most 64 KiB); undefined when it is not JSON. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 65_536) return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, data: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
}

async function main(): Promise<void> {
  const config = loadConfig();
  const gh = await openGatehouse(config);

  // The app's own routes: the guard before the body is read, or after the app read it — either way
  // the handler has it. The guard answers refusals itself and resolves to null; else to the context.
  const notes: { id: number; author: string; text: string }[] = [];
  const guard = protect(gh, { permissions: [IsAuthenticated] });
  const guarded =
    (handler: (req: AppRequest, res: ServerResponse, user: User) => Promise<void>) =>
    async (req: AppRequest, res: ServerResponse): Promise<void> => {
      const ctx = await guard(req, res);
      if (ctx) await handler(req, res, ctx.user);
    };
  const createNote = guarded(async (req, res, user) => {
    const body = await readJson(req);
    if (body === undefined) return send(res, 400, { detail: 'JSON parse error' });
    const text = noteText(body);
    if (text === null) return send(res, 400, { text: ['This field is required.'] });
    const note = { id: notes.length + 1, author: user.username, text };
    notes.push(note);
    send(res, 201, note);
  });
  const previewNote = guarded(async (req, res, user) => {
    const text = noteText(req.body);
    if (text === null) return send(res, 400, { text: ['This field is required.'] });
    send(res, 200, { author: user.username, text, length: text.length });
  });
  async function app(req: AppRequest, res: ServerResponse): Promise<void> {
    if (req.method === 'POST' && req.url === '/api/notes/') return createNote(req, res);
    if (req.method === 'POST' && req.url === '/api/notes/preview/') {
      req.body = await readJson(req);
      if (req.body === undefined) return send(res, 400, { detail: 'JSON parse error' });
      return previewNote(req, res);
    }
    send(res, 404, { detail: 'Not found.' });
  }

  const server = createServer(mount([...gh.urls(), ...resources(gh)], { fallback: app }));
  server.listen(config.port, config.host);
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  // Listening for the signals before saying where it listens: a stop right after that line is clean.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => server.close(() => void gh.close()));
  console.log(`node:http example listening on http://${config.host}:${port}`);
}

main().catch((error: unknown) => exitOnStartupError(error, 'node-http-example'));
