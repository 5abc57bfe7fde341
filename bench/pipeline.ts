/**
 * The core alone, in process (no HTTP): microseconds per authenticated request
 * through a view — pipeline, handler and rendering — for session, token and
 * JWT, on memory stores behind the hot-path cache. `node bench/pipeline.ts`
 */
import {
  createAuthRequest,
  createGatehouse,
  createMemoryStores,
  IsAuthenticated,
  jsonResponse,
} from '#gatehouse';
import { createCachedStores, MemoryRevocationBus } from '#gatehouse/stores/cached';
import { toWire } from '../src/http/write.ts';

const bus = new MemoryRevocationBus();
const stores = createCachedStores(createMemoryStores(), bus);
const gh = createGatehouse({ stores, bus, secretKey: 'x'.repeat(40) });
const u = await gh.accounts.create({ username: 'alice', password: 'Pw-12345678' });
const { key } = await gh.sessions.create(u, { ip: '1', userAgent: 'x' });
const tok = await gh.tokens.issue(u);
const pair = await gh.jwt.obtain(u);
const view = gh.view({
  name: 'D',
  permissions: [IsAuthenticated],
  handlers: { GET: (ctx) => jsonResponse(200, { message: `Hello ${ctx.user!.username}` }) },
});
const headersFor = {
  session: { cookie: `sessionid=${key}`, host: 'localhost', accept: '*/*' },
  token: { authorization: `Token ${tok.key}`, host: 'localhost', accept: '*/*' },
  jwt: { authorization: `Bearer ${pair.access}`, host: 'localhost', accept: '*/*' },
};
for (const [name, headers] of Object.entries(headersFor)) {
  const run = async () => {
    const req = createAuthRequest({
      method: 'GET',
      url: '/api/dashboard/',
      headers,
      clientAddress: '127.0.0.1',
    });
    const res = await view.handle(req);
    if (res.status !== 200) throw new Error(name + res.status);
    return toWire(res, Date.now());
  };
  for (let i = 0; i < 20000; i++) await run();
  const t = performance.now();
  for (let i = 0; i < 100000; i++) await run();
  console.log(`${name}: ${(((performance.now() - t) / 100000) * 1000).toFixed(2)} µs per request`);
}
