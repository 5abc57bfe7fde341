/** The Hono yardstick: a plain Hono route on @hono/node-server, as the example serves, answering `c.json`. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/bare/', (c) => c.json({ message: 'Hello alice, welcome to your dashboard' }));
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT ?? 0) }, () => {
  console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
