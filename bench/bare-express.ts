/** The Express yardstick: a plain Express 5 route, default settings as the example's app, answering JSON. */
import type { AddressInfo } from 'node:net';
import express from 'express';

const app = express();
app.get('/bare/', (_req, res) => {
  res.json({ message: 'Hello alice, welcome to your dashboard' });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
