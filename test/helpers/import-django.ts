/**
 * `gatehouse importdjango` as an operator runs it (a child process of the
 * real CLI), and what a client of the Django site then does against the
 * reference server over HTTP: log in, send its DRF key, its `sessionid`, its
 * simplejwt refresh token. Shared by the SQLite and PostgreSQL suites of
 * test/interop/import-django.test.ts.
 *
 * ```ts
 * const run = await gatehouseCli(['importdjango', project.databaseUrl, '--dry-run'], env);
 * const me = await meWith(server.url, { cookie: `sessionid=${key}` });
 * ```
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { csrfHeaders } from './accounts.ts';
import type { DjangoManifest } from './django.ts';

const BIN = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `gatehouse ARGS…` with only PATH and `env` in its environment (no developer settings leak in). */
export function gatehouseCli(args: string[], env: Record<string, string>, cwd?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', GATEHOUSE_SECURITY_LOG: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `importdjango URL --django-secret-key KEY --django-secret-key OLD` for a fixture project. */
export function importArgs(databaseUrl: string, manifest: DjangoManifest, ...more: string[]): string[] {
  return [
    'importdjango',
    databaseUrl,
    '--django-secret-key',
    manifest.secretKey,
    '--django-secret-key',
    manifest.oldSecretKey,
    ...more,
  ];
}

/** The summary a first import of a fresh build.py project prints: every user, every key, the live sessions. */
export function firstImportSummary(manifest: DjangoManifest): string {
  const live = manifest.sessions.filter((s) => s.works).length;
  const skipped = manifest.sessions.length - live;
  return `Imported ${manifest.users.length} users, ${manifest.tokens.length} tokens, ${live} sessions (skipped ${skipped}).`;
}

/** `GET /api/me/` with these headers: status and body as sent. */
export async function meWith(baseUrl: string, headers: Record<string, string>) {
  const res = await fetch(`${baseUrl}/api/me/`, { headers });
  return { status: res.status, body: await res.text() };
}

/** `POST /api/login/` as a browser does it (CSRF token first): status, body, and the new `sessionid`. */
export async function browserLogin(baseUrl: string, username: string, password: string) {
  const { headers } = await csrfHeaders(baseUrl);
  const res = await fetch(`${baseUrl}/api/login/`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ username, password }),
  });
  const session = /sessionid=([a-z0-9]{32})/.exec(res.headers.getSetCookie().join(';'))?.[1];
  return { status: res.status, body: await res.text(), session };
}

/** `POST path` with a JSON body and no cookie: status, body, and the body parsed. */
export async function postJson(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text, json: text ? (JSON.parse(text) as Record<string, string>) : null };
}

/** `{"user":{"id":…,"username":…,"email":…}}`, as `/api/me/` answers for a user. */
export function meBody(user: { id: number; username: string; email: string }): string {
  return JSON.stringify({ user: { id: user.id, username: user.username, email: user.email } });
}
