/** The node:http yardstick: a plain request listener answering JSON the way the example's own routes do. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/bare/') {
    const body = JSON.stringify({ message: 'Hello alice, welcome to your dashboard' });
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not found."}');
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
