/**
 * A TCP proxy in the test process that can be cut like a network: `cut()`
 * makes it a black hole (connections stay open, every byte either way is
 * dropped, new connections are held and never reach the target), `heal()`
 * drops the connections it broke and forwards again. One instance reaches
 * Redis through it, another directly: a partial partition.
 *
 * ```ts
 * const proxy = await startTcpProxy(redis.port);
 * proxy.cut(); // this side of the network is gone; the others still reach Redis
 * proxy.heal();
 * ```
 */
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let cut = false;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    track(client);
    if (cut) return; // held: never reaches the target, never answered
    const upstream = connect(targetPort, '127.0.0.1');
    track(upstream);
    client.on('data', (chunk) => cut || upstream.write(chunk));
    upstream.on('data', (chunk) => cut || client.write(chunk));
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      cut = true;
    },
    heal() {
      // Bytes were dropped mid-stream: those connections are unusable; the clients reconnect.
      for (const socket of sockets) socket.destroy();
      cut = false;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
