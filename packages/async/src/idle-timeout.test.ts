import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { rejectionCodeOf } from '../../../test-support/error-codes.mjs';
import { Clt, ErrorCode, jsonCodec, Svc } from './index.js';

type Msg = { n: number };

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** A raw socket to `port` that sends nothing; resolves once connected, `closed` once the other side dropped it. */
function silentPeer(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    cleanups.add(() => socket.destroy());
    socket.on('error', () => {});
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** Resolves once `predicate` holds, looking every 10 ms for at most 20 s. */
async function until(predicate: () => boolean): Promise<void> {
  for (const end = Date.now() + 20_000; !predicate();) {
    if (Date.now() > end) throw new Error('condition not met within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('idleTimeout', () => {
  it('closes a service connection whose peer sends nothing with NET_ERR_IDLE_TIMEOUT, freeing its pool slot', async () => {
    let disconnected!: (code: string | undefined) => void;
    const disconnect = new Promise<string | undefined>((resolve) => (disconnected = resolve));
    const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', {
      codec: jsonCodec<Msg>(),
      idleTimeout: 300,
      maxConnections: 1,
      callbacks: { onDisconnected: (_id, reason) => disconnected(reason?.code) },
    });
    cleanups.add(() => svc.close());
    const accepted = svc.acceptIntoPool();
    const silent = await silentPeer(svc.port);
    await accepted;
    await silent.closed;
    expect(await disconnect).toBe(ErrorCode.IDLE_TIMEOUT);
    await until(() => svc.size === 0);
    // The slot is free again: a new client is served.
    const next = svc.acceptIntoPool({ timeout: 20_000 });
    const clt = await Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() });
    cleanups.add(() => clt.close());
    await next;
    clt.send({ n: 1 });
    expect((await svc.recvFrom({ timeout: 20_000 }))?.message).toEqual({ n: 1 });
  });

  it('gives NET_ERR_IDLE_TIMEOUT to a recv on a connection the service accepted', async () => {
    const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>(), idleTimeout: 300 });
    cleanups.add(() => svc.close());
    const accepted = svc.accept();
    const silent = await silentPeer(svc.port);
    const peer = await accepted;
    expect(await rejectionCodeOf(peer.recv({ timeout: 20_000 }))).toBe(ErrorCode.IDLE_TIMEOUT);
    expect((await peer.closed)?.code).toBe(ErrorCode.IDLE_TIMEOUT);
    await silent.closed;
  });

  it('closes a client whose service goes silent with NET_ERR_IDLE_TIMEOUT, though the client keeps sending', async () => {
    const held: Socket[] = [];
    const server = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.add(() => new Promise((done) => server.close(done)));
    cleanups.add(() => held.forEach((socket) => socket.destroy()));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const clt = await Clt.connect<Msg, Msg>({ port }, { codec: jsonCodec<Msg>(), idleTimeout: 300 });
    cleanups.add(() => clt.destroy());
    const sending = setInterval(() => {
      if (clt.isConnected()) clt.send({ n: 0 });
    }, 50);
    cleanups.add(() => clearInterval(sending));
    expect(await rejectionCodeOf(clt.recv({ timeout: 20_000 }))).toBe(ErrorCode.IDLE_TIMEOUT);
    expect((await clt.closed)?.code).toBe(ErrorCode.IDLE_TIMEOUT);
  });

  it('validates idleTimeout at connect and bind', async () => {
    for (const idleTimeout of [-1, 0.5, 2 ** 31]) {
      expect(await rejectionCodeOf(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>(), idleTimeout }))).toBe(
        ErrorCode.INVALID_ARGUMENT,
      );
      expect(await rejectionCodeOf(Clt.connect<Msg, Msg>({ port: 1 }, { codec: jsonCodec<Msg>(), idleTimeout }))).toBe(
        ErrorCode.INVALID_ARGUMENT,
      );
    }
  });
});
