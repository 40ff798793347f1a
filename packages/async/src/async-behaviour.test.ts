import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { bytesCodec, Clt, CounterCallback, ErrorCode, HandshakeStep, jsonCodec, type Protocol, Svc } from './index.js';

type Msg = { n: number; text?: string };

const haveOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
const cleanups = new Cleanups();
afterEach(async () => {
  await cleanups.run();
  vi.restoreAllMocks();
});

async function pair(
  options: {
    svc?: Partial<Parameters<typeof Svc.bind<Msg, Msg>>[1]>;
    clt?: Partial<Parameters<typeof Clt.connect<Msg, Msg>>[1]>;
  } = {},
) {
  const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>(), ...options.svc });
  cleanups.add(() => svc.close());
  const [clt, peer] = await Promise.all([
    Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>(), ...options.clt }),
    svc.accept(),
  ]);
  cleanups.add(() => clt.close());
  return { svc, clt, peer };
}

function rawServer(onSocket: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer(onSocket);
    server.listen(0, '127.0.0.1', () => {
      cleanups.add(() => new Promise((done) => server.close(done)));
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

describe('sending', () => {
  it('coalesces every send of one tick into one socket write', async () => {
    const { clt, peer } = await pair();
    const socketPrototype = (await import('node:net')).Socket.prototype;
    const write = vi.spyOn(socketPrototype, 'write');
    for (let n = 0; n < 100; n++) clt.send({ n });
    expect(write).not.toHaveBeenCalled();
    // Sends across a chain of microtasks join the same write, made at the end of the tick.
    for (let n = 100; n < 110; n++) {
      await Promise.resolve();
      clt.send({ n });
    }
    expect(write).not.toHaveBeenCalled();
    await new Promise((resolve) => process.nextTick(resolve));
    expect(write).toHaveBeenCalledTimes(1);
    for (let n = 0; n < 110; n++) expect(await peer.recv()).toEqual({ n });
  });

  it('reports backpressure past the high-water mark and refuses past the hard limit, losing nothing it accepted', async () => {
    // A peer that never reads: the kernel buffers fill, then ours.
    const held: Socket[] = [];
    const { port } = await rawServer((socket) => {
      socket.pause();
      held.push(socket);
    });
    cleanups.add(() => held.forEach((s) => s.destroy()));
    const clt = await Clt.connect<Uint8Array, Uint8Array>(
      { port },
      { codec: bytesCodec(), highWaterMark: 64 * 1024, maxBufferedBytes: 256 * 1024 },
    );
    cleanups.add(() => clt.destroy());
    const payload = new Uint8Array(16 * 1024);
    let sawBackpressure = false;
    let accepted = 0;
    let refused: unknown;
    for (let i = 0; i < 10_000 && refused === undefined; i++) {
      try {
        if (!clt.send(payload)) sawBackpressure = true;
        accepted++;
      } catch (error) {
        refused = error;
      }
      if (i % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(sawBackpressure).toBe(true);
    expect(refused).toMatchObject({ code: ErrorCode.BACKPRESSURE });
    expect(clt.bufferedBytes).toBeLessThanOrEqual(256 * 1024);
    // Everything accepted is delivered once the peer reads.
    let received = 0;
    const framesExpected = accepted * (payload.length + 4);
    const done = new Promise<void>((resolve) => {
      held[0].on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= framesExpected) resolve();
      });
    });
    held[0].resume();
    await done;
    expect(received).toBe(framesExpected);
  });

  it('resolves drained() once the buffer is back under the low-water mark', async () => {
    const { clt, peer } = await pair({ clt: { highWaterMark: 1024, lowWaterMark: 0 } });
    let full = false;
    for (let n = 0; n < 200 && !full; n++) full = !clt.send({ n, text: 'x'.repeat(100) });
    expect(full).toBe(true);
    await clt.drained();
    expect(clt.bufferedBytes).toBe(0);
    expect(await peer.recv()).toMatchObject({ n: 0 });
  });
});

describe('receiving', () => {
  it('times out a recv without losing the message that comes later', async () => {
    const { clt, peer } = await pair();
    await expect(clt.recv({ timeout: 50 })).rejects.toMatchObject({ code: ErrorCode.TIMEOUT });
    peer.send({ n: 7 });
    expect(await clt.recv({ timeout: 5_000 })).toEqual({ n: 7 });
  });

  it('aborts a recv through an AbortSignal', async () => {
    const { clt, peer } = await pair();
    const controller = new AbortController();
    const pending = clt.recv({ signal: controller.signal });
    controller.abort(new Error('user gave up'));
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.ABORTED });
    peer.send({ n: 1 });
    expect(await clt.recv()).toEqual({ n: 1 });
  });

  it('iterates messages with for await until the peer closes', async () => {
    const { clt, peer } = await pair();
    for (let n = 0; n < 5; n++) peer.send({ n });
    await peer.close();
    const seen: number[] = [];
    for await (const message of clt) seen.push(message.n);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('delivers to onMessage synchronously instead of queueing', async () => {
    const got: Msg[] = [];
    let resolveAll!: () => void;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    const { peer } = await pair({
      clt: {
        onMessage: (message) => {
          got.push(message);
          if (got.length === 3) resolveAll();
        },
      },
    });
    for (let n = 0; n < 3; n++) peer.send({ n });
    await all;
    expect(got.map((m) => m.n)).toEqual([0, 1, 2]);
  });

  it("delivers every connection's messages to a service onMessage callback, with the connection id", async () => {
    const got: string[] = [];
    let resolveAll!: () => void;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', {
      codec: jsonCodec<Msg>(),
      autoPool: true,
      onMessage: (message, conId) => {
        got.push(`${conId.serial}:${message.n}`);
        if (got.length === 6) resolveAll();
      },
    });
    cleanups.add(() => svc.close());
    const clients = await Promise.all(
      [0, 1].map(() => Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() })),
    );
    for (const clt of clients) cleanups.add(() => clt.close());
    for (let n = 0; n < 3; n++) for (const clt of clients) clt.send({ n });
    await all;
    const bySerial = new Map<string, string[]>();
    for (const entry of got) {
      const [serial, n] = entry.split(':');
      bySerial.set(serial, [...(bySerial.get(serial) ?? []), n]);
    }
    expect([...bySerial.values()]).toEqual([
      ['0', '1', '2'],
      ['0', '1', '2'],
    ]);
  });

  it('copies frames that a borrowing codec would otherwise share with the next read', async () => {
    const svc = await Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', { codec: bytesCodec() });
    cleanups.add(() => svc.close());
    const [clt, peer] = await Promise.all([
      Clt.connect<Uint8Array, Uint8Array>({ port: svc.port }, { codec: bytesCodec() }),
      svc.accept(),
    ]);
    cleanups.add(() => clt.close());
    for (let i = 0; i < 50; i++) peer.send(new Uint8Array(100).fill(i));
    await peer.close();
    const bodies: Uint8Array[] = [];
    for await (const body of clt) bodies.push(body);
    expect(bodies.map((b) => b[0])).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(bodies.every((b, i) => b.every((x) => x === i))).toBe(true);
  });
});

describe('connection life', () => {
  it('splits into halves used by different parts of a program', async () => {
    const { clt, peer } = await pair();
    const { sender, receiver } = clt.split();
    sender.send({ n: 1 });
    expect(await peer.recv()).toEqual({ n: 1 });
    peer.send({ n: 2 });
    expect(await receiver.recv()).toEqual({ n: 2 });
    expect(String(sender.conId)).toBe(String(receiver.conId));
    await sender.close();
    expect(await peer.recv()).toBeUndefined();
  });

  it('works over a Unix domain socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'net-'));
    cleanups.add(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'svc.sock');
    const svc = await Svc.bind<Msg, Msg>(path, { codec: jsonCodec<Msg>() });
    cleanups.add(() => svc.close());
    const [clt, peer] = await Promise.all([Clt.connect<Msg, Msg>(path, { codec: jsonCodec<Msg>() }), svc.accept()]);
    cleanups.add(() => clt.close());
    clt.send({ n: 42 });
    expect(await peer.recv()).toEqual({ n: 42 });
  });

  it('closes with await using', async () => {
    const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() });
    cleanups.add(() => svc.close());
    const accepted = svc.accept();
    {
      await using clt = await Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() });
      clt.send({ n: 1 });
    }
    const peer = await accepted;
    expect(await peer.recv()).toEqual({ n: 1 });
    expect(await peer.recv()).toBeUndefined();
  });

  it('destroy(reason) ends pending receives with that reason', async () => {
    const { clt } = await pair();
    const pending = clt.recv();
    clt.destroy(new (await import('./index.js')).NetError(ErrorCode.CLOSED, 'shutting down'));
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.CLOSED, message: 'shutting down' });
  });

  // Needs the runner's vi.waitFor (vitest has it; Bun's test runner, which runs these suites on Bun, does not).
  it.skipIf(typeof vi.waitFor !== 'function')(
    'reconnects with backoff after the service restarts, re-running the handshake',
    async () => {
      const logins: string[] = [];
      const serverProtocol: Protocol<Msg, Msg> = {
        onHandshakeRecv(message, connection) {
          logins.push(String(message.n));
          connection.send({ n: -1 });
          return HandshakeStep.Done;
        },
      };
      const clientProtocol: Protocol<Msg, Msg> = {
        onConnect: (connection) => connection.send({ n: 1000 }),
        onHandshakeRecv: (message) => (message.n === -1 ? HandshakeStep.Done : HandshakeStep.Continue),
      };
      const counter = new CounterCallback();
      let svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', {
        codec: jsonCodec<Msg>(),
        protocol: serverProtocol,
        autoPool: true,
      });
      const port = svc.port;
      const clt = await Clt.connect<Msg, Msg>(
        { port },
        {
          codec: jsonCodec<Msg>(),
          protocol: clientProtocol,
          callbacks: counter,
          reconnect: { initialDelay: 20, maxDelay: 200, jitter: 0.5 },
        },
      );
      cleanups.add(() => clt.close());
      expect(logins).toHaveLength(1);
      await svc.close();
      await vi.waitFor(() => expect(counter.disconnectedCount).toBe(1), { timeout: 5_000 });
      expect(() => clt.send({ n: 1 })).toThrow(expect.objectContaining({ code: ErrorCode.NOT_CONNECTED }));
      svc = await Svc.bind<Msg, Msg>({ port }, { codec: jsonCodec<Msg>(), protocol: serverProtocol, autoPool: true });
      cleanups.add(() => svc.close());
      await vi.waitFor(() => expect(counter.connectedCount).toBe(2), { timeout: 5_000 });
      expect(logins).toHaveLength(2);
      clt.send({ n: 5 });
      expect(await svc.recv({ timeout: 5_000 })).toEqual({ n: 5 });
      svc.broadcast({ n: 6 });
      expect(await clt.recv({ timeout: 5_000 })).toEqual({ n: 6 });
    },
  );

  // No test context parameter: Bun's runner, which runs these suites on Bun too, takes a one-argument test for a callback-style one.
  it.skipIf(!haveOpenssl)('connects over TLS (skipped without openssl to make a test certificate)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'net-tls-'));
    cleanups.add(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const key = readFileSync(join(dir, 'key.pem'), 'utf8');
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>(), tls: { key, cert } });
    cleanups.add(() => svc.close());
    const [clt, peer] = await Promise.all([
      Clt.connect<Msg, Msg>(
        { port: svc.port },
        { codec: jsonCodec<Msg>(), tls: { ca: cert, servername: 'localhost' } },
      ),
      svc.accept(),
    ]);
    cleanups.add(() => clt.close());
    clt.send({ n: 9 });
    expect(await peer.recv()).toEqual({ n: 9 });
    peer.send({ n: 10 });
    expect(await clt.recv()).toEqual({ n: 10 });
  });

  it('stops reading when its queue is full and resumes as it drains, losing nothing', async () => {
    const { clt, peer } = await pair({ clt: { maxQueuedMessages: 16 } });
    for (let n = 0; n < 2_000; n++) peer.send({ n });
    for (let n = 0; n < 2_000; n++) expect((await clt.recv({ timeout: 5_000 }))?.n).toBe(n);
  });
});
