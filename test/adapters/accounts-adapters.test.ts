/**
 * A djoser client's whole life cycle through each of the four adapters:
 * `mount(app, gh.urls())` is the one call that serves the account flows in
 * Express, Fastify, Hono and node:http alike, mailing through a real SMTP
 * server — sign-up with activation, activation, token login, users/me
 * GET/PUT/PATCH, the e-mail change link, set_username, set_password, reset
 * and confirm, resend_activation, jwt/*, token logout, DELETE.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve as serveHono } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { createGatehouse, createMemoryStores, type Gatehouse } from '#gatehouse';
import { PasswordHashers } from '#gatehouse/passwords';
import * as expressAdapter from '../../src/adapters/express.ts';
import * as fastifyAdapter from '../../src/adapters/fastify.ts';
import * as honoAdapter from '../../src/adapters/hono.ts';
import * as nodeAdapter from '../../src/adapters/node-http.ts';
import { createEmailSender } from '../../src/email/create-email-sender.ts';
import { type ReceivedMail, type RunningSmtpServer, startSmtpServer } from '../helpers/smtp.ts';

type Fetcher = (path: string, init?: RequestInit) => Promise<Response>;
const targets: Record<string, { fetch: Fetcher; close(): Promise<void> }> = {};
let gh: Gatehouse;
let smtp: RunningSmtpServer;

function listen(server: Server): Promise<{ fetch: Fetcher; close(): Promise<void> }> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        fetch: (path, init) => fetch(`http://127.0.0.1:${port}${path}`, init),
        close: () => new Promise((r) => server.close(() => r())),
      });
    }),
  );
}

before(async () => {
  smtp = await startSmtpServer({ starttls: false });
  gh = createGatehouse({
    stores: createMemoryStores(),
    secretKey: 'adapter-accounts-secret-0123456789-abcdefghij',
    hashers: new PasswordHashers(),
    email: { sender: createEmailSender(`smtp://127.0.0.1:${smtp.port}`) },
    sendActivationEmail: true,
    emailRate: '100/hour',
    registerRate: '100/hour',
  });
  targets['node:http'] = await listen(createServer(nodeAdapter.mount(gh.urls())));
  const app = express();
  expressAdapter.mount(app, gh.urls());
  targets.express = await listen(createServer(app));
  const fastify = Fastify();
  await fastifyAdapter.mount(fastify, gh.urls());
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const fastifyPort = (fastify.server.address() as AddressInfo).port;
  targets.fastify = {
    fetch: (p, i) => fetch(`http://127.0.0.1:${fastifyPort}${p}`, i),
    close: () => fastify.close(),
  };
  const hono = new Hono();
  honoAdapter.mount(hono, gh.urls());
  await new Promise<void>((resolve) => {
    const server = serveHono({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      targets.hono = {
        fetch: (p, i) => fetch(`http://127.0.0.1:${info.port}${p}`, i),
        close: () => new Promise((r) => server.close(() => r())),
      };
      resolve();
    });
  });
});

after(async () => {
  for (const target of Object.values(targets)) await target.close();
  await gh.close();
  await smtp.stop();
});

/** The uid and token of the newest mail to `to` of this kind. */
function linkTo(to: string, kind: string): { uid: string; token: string } {
  const mail = smtp.messages.filter((m: ReceivedMail) => m.rcptTo.includes(to)).at(-1);
  assert.ok(mail, `no mail to ${to}`);
  const m = new RegExp(`/#/${kind}/([\\w-]+)/([\\w-]+)$`, 'm').exec(mail.text);
  assert.ok(m, `no ${kind} link in the mail to ${to}`);
  return { uid: m[1], token: m[2] };
}

for (const [index, name] of ['node:http', 'express', 'fastify', 'hono'].entries()) {
  describe(`djoser's flows through the ${name} adapter`, () => {
    const user = `user${index}`;
    const email = `${user}@example.com`;
    const send = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await targets[name].fetch(path, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Token ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
    };

    test('sign-up, activation, token login, me, e-mail change, set_username, set_password, reset, jwt, logout, delete', async () => {
      const created = await send('POST', '/auth/users/', { username: user, password: 'Pw-12345678', email });
      assert.equal(created.status, 201);
      assert.equal(created.text, `{"email":"${email}","username":"${user}","id":${created.json.id}}`);
      assert.equal(
        (await send('POST', '/auth/token/login/', { username: user, password: 'Pw-12345678' })).status,
        400,
        'inactive until activated',
      );
      assert.equal((await send('POST', '/auth/users/activation/', linkTo(email, 'activate'))).status, 204);
      assert.equal(
        (await send('POST', '/auth/users/activation/', linkTo(email, 'activate'))).text,
        '{"detail":"Stale token for given user."}',
      );

      const login = await send('POST', '/auth/token/login', { username: user, password: 'Pw-12345678' });
      assert.equal(login.status, 200);
      const token = login.json.auth_token as string;
      const me = `{"email":"${email}","id":${created.json.id},"username":"${user}"}`;
      assert.equal((await send('GET', '/auth/users/me/', undefined, token)).text, me);
      assert.equal((await send('GET', '/auth/users/', undefined, token)).text, `[${me}]`);
      assert.equal((await send('PUT', '/auth/users/me/', {}, token)).text, me);

      const renamed = `renamed${index}@example.com`;
      assert.equal((await send('PATCH', '/auth/users/me/', { email: renamed }, token)).text, me);
      assert.equal(
        (await send('POST', '/auth/users/email/confirm/', linkTo(renamed, 'email/confirm'))).status,
        204,
      );
      assert.equal(
        (await send('GET', `/auth/users/${created.json.id}/`, undefined, token)).json.email,
        renamed,
      );

      assert.equal(
        (
          await send(
            'POST',
            '/auth/users/set_username/',
            { new_username: `${user}b`, current_password: 'Pw-12345678' },
            token,
          )
        ).status,
        204,
      );
      assert.equal(
        (
          await send(
            'POST',
            '/auth/users/set_password/',
            { new_password: 'Second-pass-22', current_password: 'Pw-12345678' },
            token,
          )
        ).status,
        204,
      );

      assert.equal((await send('POST', '/auth/users/reset_password/', { email: renamed })).status, 204);
      assert.equal((await send('POST', '/auth/users/resend_activation/', { email: renamed })).status, 204);
      await gh.mailer.settled();
      const reset = linkTo(renamed, 'password/reset/confirm');
      assert.equal(
        (
          await send('POST', '/auth/users/reset_password_confirm/', {
            ...reset,
            new_password: 'Third-pass-333',
          })
        ).status,
        204,
      );
      assert.equal(
        (await send('GET', '/auth/users/me/', undefined, token)).text,
        '{"detail":"Invalid token."}',
      );

      const pair = await send('POST', '/auth/jwt/create/', {
        username: `${user}b`,
        password: 'Third-pass-333',
      });
      assert.equal(pair.status, 200);
      assert.equal((await send('POST', '/auth/jwt/refresh', { refresh: pair.json.refresh })).status, 200);
      assert.equal((await send('POST', '/auth/jwt/verify/', { token: pair.json.access })).text, '{}');

      const again = (
        await send('POST', '/auth/token/login/', { username: `${user}b`, password: 'Third-pass-333' })
      ).json.auth_token;
      assert.equal((await send('POST', '/auth/token/logout/', undefined, again)).status, 204);
      assert.equal(
        (await send('GET', '/auth/users/me/', undefined, again)).text,
        '{"detail":"Invalid token."}',
      );

      const last = (
        await send('POST', '/auth/token/login/', { username: `${user}b`, password: 'Third-pass-333' })
      ).json.auth_token;
      assert.equal(
        (await send('DELETE', '/auth/users/me/', { current_password: 'Third-pass-333' }, last)).status,
        204,
      );
      assert.equal(await gh.accounts.getById(created.json.id), null);
    });
  });
}
