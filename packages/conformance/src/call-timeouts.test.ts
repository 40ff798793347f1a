import { createServer } from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import * as asyncFlavour from '@net/async';
import * as blocking from '@net/blocking';
import { ErrorCode, jsonCodec, NetError } from '@net/core';
import * as nonblocking from '@net/nonblocking';

// One rule for the `timeout` of every call in every flavour: 0 or more ms, `Infinity` for no
// bound, and anything else refused with a message that names `timeout`. And one rule for what a
// connect that ran out of time reports: the last attempt's own reason, so a closed port says
// ECONNREFUSED rather than the "timed out" of a last attempt the deadline cut short.
type Msg = { n: number };
const codec = () => jsonCodec<Msg>();

// A peer in a thread of its own (this thread spins or parks while a synchronous call waits): it
// sends back each chunk it gets, a little later, so the reply arrives while the receive waits.
const LATE_ECHO = `
const { parentPort } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer((socket) => {
  socket.on('data', (chunk) => setTimeout(() => socket.write(chunk), 50));
  socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => process.exit(0)));
`;

const peers: Worker[] = [];
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const peer of peers.splice(0)) {
    peer.postMessage('stop');
    await peer.terminate();
  }
});

async function lateEcho(): Promise<number> {
  const worker = new Worker(LATE_ECHO, { eval: true });
  peers.push(worker);
  return new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** A port that was bound and then closed, so nothing listens on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What a call did: its value, or the error it threw or rejected with. */
async function outcome(call: () => unknown): Promise<unknown> {
  try {
    return await call();
  } catch (error) {
    return error;
  }
}

/** One flavour seen through the calls this file checks; every call may return a Promise. */
interface Flavour {
  readonly name: string;
  /** Connects to `port` with `options` and returns the client's calls. */
  connect(
    port: number,
    options?: { timeout?: unknown },
  ): Promise<{ send(message: Msg): unknown; recv(timeout: unknown): unknown; close(): unknown }>;
  /** A service's accept and pool receive with this timeout. */
  serviceCalls(): Promise<{ accept(timeout: unknown): unknown; recvFrom(timeout: unknown): unknown }>;
}

const flavours: Flavour[] = [
  {
    name: 'async',
    async connect(port, options = {}) {
      const clt = await asyncFlavour.Clt.connect<Msg, Msg>(
        { port },
        { codec: codec(), ...(options as { timeout?: number }) },
      );
      return {
        send: (m) => clt.send(m),
        recv: (timeout) => clt.recv({ timeout: timeout as number }),
        close: () => clt.close(),
      };
    },
    async serviceCalls() {
      const svc = await asyncFlavour.Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() });
      cleanups.push(() => svc.close());
      return {
        accept: (timeout) => svc.accept({ timeout: timeout as number }),
        recvFrom: (timeout) => svc.recvFrom({ timeout: timeout as number }),
      };
    },
  },
  {
    name: 'nonblocking',
    async connect(port, options = {}) {
      const clt = nonblocking.Clt.connect<Msg, Msg>({ port }, { codec: codec(), ...(options as { timeout?: number }) });
      return {
        send: (m) => clt.send(m, { timeout: Infinity }),
        recv: (timeout) => clt.recv({ timeout: timeout as number }),
        close: () => clt.close(),
      };
    },
    async serviceCalls() {
      const svc = nonblocking.Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() });
      cleanups.push(() => svc.close());
      return {
        accept: (timeout) => svc.accept({ timeout: timeout as number }),
        recvFrom: (timeout) => svc.recvFrom({ timeout: timeout as number }),
      };
    },
  },
  {
    name: 'blocking',
    async connect(port, options = {}) {
      const clt = blocking.Clt.connect<Msg, Msg>({ port }, { codec: codec(), ...(options as { timeout?: number }) });
      return {
        send: (m) => clt.send(m),
        recv: (timeout) => clt.recv({ timeout: timeout as number }),
        close: () => clt.close(),
      };
    },
    async serviceCalls() {
      const svc = blocking.Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() });
      cleanups.push(() => svc.close());
      return {
        accept: (timeout) => svc.tryAccept({ timeout: timeout as number }),
        recvFrom: (timeout) => svc.tryRecvFrom({ timeout: timeout as number }),
      };
    },
  },
];

const BAD_TIMEOUTS: [unknown, string][] = [
  [-1, '-1'],
  [Number.NaN, 'NaN'],
  ['5', '"5"'],
];

function invalidTimeout(shown: string) {
  return expect.objectContaining({
    code: ErrorCode.INVALID_ARGUMENT,
    message: `timeout must be 0 or more ms (Infinity for no bound), got ${shown}`,
  });
}

describe.each(flavours)('$name: the timeout of a call', (flavour) => {
  it('Infinity waits with no bound: a message sent later is received', async () => {
    const clt = await flavour.connect(await lateEcho());
    cleanups.push(() => clt.close());
    clt.send({ n: 7 });
    expect(await outcome(() => clt.recv(Infinity))).toEqual({ n: 7 });
  }, 30_000);

  it('-1, NaN and a string are refused with NET_ERR_INVALID_ARGUMENT naming timeout, on receive, accept and pool receive', async () => {
    const clt = await flavour.connect(await lateEcho());
    cleanups.push(() => clt.close());
    const svc = await flavour.serviceCalls();
    for (const [value, shown] of BAD_TIMEOUTS) {
      expect(await outcome(() => clt.recv(value)), `recv ${shown}`).toEqual(invalidTimeout(shown));
      expect(await outcome(() => svc.accept(value)), `accept ${shown}`).toEqual(invalidTimeout(shown));
      expect(await outcome(() => svc.recvFrom(value)), `recvFrom ${shown}`).toEqual(invalidTimeout(shown));
    }
    // The connection is still usable after a refused call.
    clt.send({ n: 8 });
    expect(await outcome(() => clt.recv(Infinity))).toEqual({ n: 8 });
  }, 30_000);

  it("connect's timeout takes the same check", async () => {
    const port = await closedPort();
    for (const [value, shown] of BAD_TIMEOUTS) {
      expect(await outcome(() => flavour.connect(port, { timeout: value })), `connect ${shown}`).toEqual(
        invalidTimeout(shown),
      );
    }
  });
});

describe.each(flavours)('$name: a connect to a closed port', (flavour) => {
  it('runs out of time with the refusal as cause, every time, with the default timing', async () => {
    const port = await closedPort();
    for (let run = 0; run < 5; run++) {
      const error = await outcome(() => flavour.connect(port));
      expect(error, `run ${run}`).toBeInstanceOf(NetError);
      const { code, cause, details } = error as NetError;
      expect(code, `run ${run}`).toBe(ErrorCode.CONNECT_TIMEOUT);
      expect(cause, `run ${run}: ${(error as Error).message}`).toMatchObject({
        code: ErrorCode.NOT_CONNECTED,
        message: expect.stringContaining('ECONNREFUSED'),
      });
      expect(details, `run ${run}`).toMatchObject({ timeoutMs: 1_000, attempts: expect.any(Number) });
    }
  }, 60_000);
});
