import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Clock, type Gatehouse, loadConfig, openGatehouse, type SecurityLog } from '#gatehouse';
import { PasswordHashers } from '#gatehouse/passwords';
import { buildApp } from '../../server/app.ts';

export interface TestApp {
  app: FastifyInstance;
  gh: Gatehouse;
  dbPath: string;
  client(): Client;
  /** Creates a user straight through the accounts service. */
  user(username: string, password?: string, extra?: { isStaff?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the contract's bodies field by field
  json: any;
  /** Set-Cookie lines as sent. */
  setCookies: string[];
}

/**
 * A cookie-keeping client over Fastify's inject (no sockets): it remembers
 * cookies as a browser would and can send the CSRF header.
 */
export class Client {
  readonly jar = new Map<string, string>();
  readonly #app: FastifyInstance;
  constructor(app: FastifyInstance) {
    this.#app = app;
  }

  get csrf(): string | undefined {
    return this.jar.get('csrftoken');
  }

  async request(
    method: string,
    url: string,
    options: {
      json?: unknown;
      form?: Record<string, string>;
      body?: string;
      headers?: Record<string, string>;
      csrf?: boolean;
    } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { host: 'localhost', ...options.headers };
    if (this.jar.size > 0 && !('cookie' in headers)) {
      headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    if (options.csrf && this.csrf) headers['x-csrftoken'] = this.csrf;
    let payload: string | undefined = options.body;
    if (options.json !== undefined) {
      payload = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    } else if (options.form) {
      payload = new URLSearchParams(options.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const res = await this.#app.inject({ method: method as 'GET', url, headers, payload });
    const raw = res.headers['set-cookie'];
    const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    for (const line of setCookies) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/Max-Age=0/.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    let json: unknown;
    try {
      json = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      json = undefined;
    }
    return {
      status: res.statusCode,
      headers: res.headers as Reply['headers'],
      body: res.body,
      json,
      setCookies,
    };
  }

  /** GET /api/csrf/ so the client holds a csrftoken cookie. */
  async primeCsrf(): Promise<void> {
    await this.request('GET', '/api/csrf/');
  }

  /** Logs in through POST /api/login/ with CSRF, as the SPA does. */
  async login(username: string, password = 'Pw-12345678'): Promise<Reply> {
    if (!this.csrf) await this.primeCsrf();
    return this.request('POST', '/api/login/', { json: { username, password }, csrf: true });
  }
}

// One set of hashers for the suite, so the dummy hash is computed once.
const hashers = new PasswordHashers();

/** The reference server, in process, on a fresh SQLite file. */
export async function makeApp(
  options: { clock?: Clock; env?: Record<string, string>; securityLog?: SecurityLog } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-http-'));
  const dbPath = join(dir, 'db.sqlite3');
  const config = loadConfig(
    {
      SECRET_KEY: 'test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
      DATABASE_URL: `sqlite:${dbPath}`,
      ...options.env,
    },
    dir,
  );
  const gh = await openGatehouse(config, {
    clock: options.clock,
    hashers,
    securityLog: options.securityLog ?? (() => {}),
  });
  const app = await buildApp(gh, config);
  return {
    app,
    gh,
    dbPath,
    client: () => new Client(app),
    async user(username, password = 'Pw-12345678', extra = {}) {
      await gh.accounts.create({ username, password, email: `${username}@example.com`, ...extra });
    },
    async close() {
      await app.close();
      await gh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
