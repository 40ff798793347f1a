import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Worker } from 'node:worker_threads';
import { socketHostKind } from '@net/sync';
import { type SocketHost, socketBroker } from '@net/sync/internal';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { CltConnector } from './clt-connector.js';
import { Clt, END_OF_STREAM, ErrorCode, jsonCodec, NetError, REJECTED, Svc, WOULD_BLOCK } from './index.js';

// The broker thread owns every socket of the synchronous flavours. These tests break it on
// purpose (a request its handler throws on, the thread killed mid-connect and mid-watch) and check
// that the next synchronous call neither hangs nor waits out a timeout, and that work goes on.
type Msg = { n: number };
const codec = jsonCodec<Msg>();

const workerOf = (broker: SocketHost) => (broker as unknown as { _worker: Worker })._worker;
const brokerOf = (svc: Svc<Msg, Msg>) => (svc as unknown as { service: { broker: SocketHost } }).service.broker;

/** An echo server on this thread's event loop, on `port` (0: any): it outlives any broker thread. */
async function echoServer(port = 0): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.pipe(socket);
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port, sockets };
}

/** Steps a connector, letting the event loop run between steps, until it connects or throws. */
async function connectStepping(connector: CltConnector<Msg, Msg>): Promise<Clt<Msg, Msg>> {
  for (let i = 0; i < 10_000; i++) {
    const clt = connector.step();
    if (clt !== WOULD_BLOCK) return clt;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error('the connector never finished');
}

/** One round trip through the echo server, the event loop running while the reply comes. */
async function roundTrip(clt: Clt<Msg, Msg>, n: number): Promise<Msg> {
  expect(clt.sendBusywaitTimeout({ n }, 5_000)).toBe('completed');
  for (let i = 0; i < 10_000; i++) {
    const got = clt.recv();
    if (got === END_OF_STREAM) throw new Error('ended');
    if (got !== WOULD_BLOCK) return got;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error('no reply');
}

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

// The broker thread is the Node path; a runtime that calls the C library directly has none to lose.
describe.skipIf(socketHostKind() !== 'broker')('the broker thread', () => {
  it('answers a request its handler throws on with a coded error, and goes on serving', () => {
    const broker = socketBroker();
    // Node's listen throws synchronously for a port out of range: inside the broker's handler.
    let thrown: unknown;
    try {
      broker.listen({ kind: 'tcp', host: '127.0.0.1', port: -5 }, { backlog: 511, noDelay: true, blocking: false });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NetError);
    expect((thrown as NetError).code).not.toBe(ErrorCode.TIMEOUT);
    expect((thrown as NetError).message).toMatch(/bind 127\.0\.0\.1:-5/);
    expect(broker.checkStopped()).toBe(false);
    expect(socketBroker()).toBe(broker);
    // The same thread still listens, connects and carries messages.
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec });
    const clt = Clt.connect<Msg, Msg>({ port: svc.port }, { codec });
    const peer = svc.acceptBusywaitTimeout(5_000);
    if (peer === WOULD_BLOCK || peer === REJECTED) throw new Error('not accepted');
    clt.sendBusywait({ n: 1 });
    expect(peer.recvBusywaitTimeout(5_000)).toEqual({ n: 1 });
    clt.close();
    peer.close();
    svc.close();
  });

  it('killed mid-connect: the attempt fails over to a new broker and connects; old connections end with NET_ERR_CLOSED', async () => {
    const stop =
      ({ server, sockets }: { server: Server; sockets: Set<Socket> }) =>
      () => {
        for (const socket of sockets) socket.destroy();
        server.close();
      };
    const first = await echoServer();
    cleanups.add(stop(first));
    const port = first.port;
    const old = socketBroker();
    const before = Clt.connect<Msg, Msg>({ port }, { codec });
    expect((await roundTrip(before, 1)).n).toBe(1);
    // A port where nothing listens yet: the connector is still connecting however long the machine
    // takes between its steps (a listening port may be connected before the first step returns).
    const free = createServer().listen(0, '127.0.0.1');
    await once(free, 'listening');
    const later = (free.address() as { port: number }).port;
    await new Promise((resolve) => free.close(resolve));
    const connector = new CltConnector<Msg, Msg>({ port: later }, { codec, timeout: 10_000, retryAfter: 1 });
    expect(connector.step()).toBe(WOULD_BLOCK); // the attempt is with the broker now
    await workerOf(old).terminate();
    cleanups.add(stop(await echoServer(later)));

    const clt = await connectStepping(connector);
    cleanups.close(clt);
    const fresh = socketBroker();
    expect(fresh).not.toBe(old);
    expect(old.stopped).toBe(true);
    expect((await roundTrip(clt, 2)).n).toBe(2);
    // The descriptor of a connection of the old broker is gone: its next call says so.
    let thrown: unknown;
    try {
      before.recv();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: ErrorCode.CLOSED });
    expect(before.isClosed).toBe(true);
  });

  it('killed mid-watch: the watched pooled connection ends instead of waiting forever, and new work goes to a new broker', async () => {
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec });
    cleanups.close(svc);
    const old = brokerOf(svc);
    const peer = connect(svc.port, '127.0.0.1');
    peer.on('error', () => {});
    cleanups.add(() => void peer.destroy());
    await once(peer, 'connect');
    let accepted: unknown = WOULD_BLOCK;
    for (let i = 0; i < 10_000 && accepted === WOULD_BLOCK; i++) {
      accepted = svc.acceptIntoPool();
      if (accepted === WOULD_BLOCK) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(svc.size).toBe(1);
    // Idle polls hand the pooled connection to the broker to watch.
    const pool = (svc as unknown as { service: { pool: { watchedCount: number } } }).service.pool;
    for (let i = 0; i < 1_000 && pool.watchedCount === 0; i++) expect(svc.recvFrom()).toBe(WOULD_BLOCK);
    expect(pool.watchedCount).toBe(1);
    await workerOf(old).terminate();

    for (let i = 0; i < 100_000 && svc.size > 0; i++) expect(svc.recvFrom()).toBe(WOULD_BLOCK);
    expect(svc.size).toBe(0);
    expect(() => svc.acceptIntoPool()).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
    // A service bound now lives on a new broker and serves.
    const next = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec });
    cleanups.close(next);
    expect(brokerOf(next)).not.toBe(old);
    const clt = Clt.connect<Msg, Msg>({ port: next.port }, { codec });
    cleanups.close(clt);
    const served = next.acceptBusywaitTimeout(5_000);
    if (served === WOULD_BLOCK || served === REJECTED) throw new Error('not accepted');
    clt.sendBusywait({ n: 3 });
    expect(served.recvBusywaitTimeout(5_000)).toEqual({ n: 3 });
    served.close();
  });

  it('a service whose broker stopped says NET_ERR_CLOSED on accept, and closes without throwing', async () => {
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec });
    await workerOf(brokerOf(svc)).terminate();
    expect(brokerOf(svc).checkStopped()).toBe(true);
    expect(() => svc.accept()).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
    expect(() => svc.close()).not.toThrow();
  });
});
