/**
 * The server program of the plain `node:net` baseline: `net.createServer`, `setNoDelay(true)`,
 * `socket.on('data')` into a {@link LengthPrefixParser}, and one `socket.write` per reply.
 *
 * Commands: `listen { listen, mode, backlog }` → address; `connections`; `wait-connections { count }`;
 * `expect { count }` and `await-messages` (sink mode); `close`.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { Args } from '../../util/cli.js';
import { serveCommands } from '../harness.js';
import { acceptInPlace, ArrivalCounter, HEADER_BYTES, type ListenSpec, type ServerAddress, type ServerMode } from '../workload.js';
import { LengthPrefixParser } from './length-prefix.js';

/**
 * `--corrupt-every N` changes the last byte of every Nth reply: only for the tests that prove the
 * clients notice a wrong reply.
 */
const corruptEvery = new Args(process.argv.slice(2), ['corrupt-every']).integer('corrupt-every', 0);
let replies = 0;
const sockets = new Set<Socket>();
const counter = new ArrivalCounter();
let server: Server | undefined;
let connectionWaiter: { count: number; resolve(): void } | undefined;

function onConnection(socket: Socket, mode: ServerMode): void {
  sockets.add(socket);
  socket.setNoDelay(true);
  const onBody =
    mode === 'echo'
      ? (body: Buffer): void => {
          // One write per reply, in a buffer of its own: the socket keeps it until the kernel takes it.
          const reply = Buffer.allocUnsafe(HEADER_BYTES + body.length);
          reply.writeUInt32BE(body.length, 0);
          body.copy(reply, HEADER_BYTES);
          acceptInPlace(reply.subarray(HEADER_BYTES));
          if (corruptEvery > 0 && ++replies % corruptEvery === 0) reply[reply.length - 1] ^= 0xff;
          socket.write(reply);
        }
      : (body: Buffer): void => counter.arrived(body[0]);
  const parser = new LengthPrefixParser(onBody);
  socket.on('data', (chunk: Buffer) => {
    try {
      parser.push(chunk);
    } catch (error) {
      socket.destroy(error as Error);
    }
  });
  socket.on('error', () => {
    // 'close' follows and cleans up.
  });
  socket.on('close', () => sockets.delete(socket));
  if (connectionWaiter !== undefined && sockets.size >= connectionWaiter.count) {
    const waiter = connectionWaiter;
    connectionWaiter = undefined;
    waiter.resolve();
  }
}

serveCommands({
  listen: async ({ listen, mode, backlog }: { listen: ListenSpec; mode: ServerMode; backlog: number }): Promise<ServerAddress> => {
    const created = createServer((socket) => onConnection(socket, mode));
    server = created;
    if (listen.transport === 'unix') rmSync(listen.path, { force: true });
    await new Promise<void>((resolve, reject) => {
      created.once('error', reject);
      if (listen.transport === 'unix') created.listen({ path: listen.path, backlog }, resolve);
      else created.listen({ host: listen.host, port: 0, backlog }, resolve);
    });
    const bound = created.address();
    if (listen.transport === 'unix') return { transport: 'unix', path: listen.path };
    if (bound === null || typeof bound === 'string') throw new Error('no TCP address');
    return { transport: 'tcp', host: listen.host, port: bound.port };
  },
  connections: (): number => sockets.size,
  'wait-connections': ({ count }: { count: number }): Promise<number> => {
    if (sockets.size >= count) return Promise.resolve(sockets.size);
    return new Promise((resolve) => (connectionWaiter = { count, resolve: () => resolve(sockets.size) }));
  },
  expect: ({ count }: { count: number }): void => counter.expect(count),
  'await-messages': () => counter.wait(),
  close: async (): Promise<void> => {
    const listening = server;
    server = undefined;
    if (listening === undefined) return;
    const stopped = new Promise<void>((resolve) => listening.close(() => resolve()));
    const closed = [...sockets].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
    for (const socket of sockets) socket.end();
    const timer = setTimeout(() => {
      for (const socket of sockets) socket.destroy();
    }, 2_000);
    await Promise.all(closed);
    clearTimeout(timer);
    await stopped;
  },
});
