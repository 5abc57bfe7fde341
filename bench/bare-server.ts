/** The yardstick: a bare Fastify route on the same machine, same Node, same run. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/bare/', async () => ({ message: 'Hello alice, welcome to your dashboard' }));
const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
console.log(`listening ${address}`);
