import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, type ConId, ErrorCode, jsonCodec, type Logger, type NetError, silentLogger, Svc } from './index.js';

// A frame that does not decode between two good ones: `onMessage` users get the good ones in
// order and the bad one through `onError`, with the connection going on, as `recv()` users get
// NET_ERR_DECODE between the two messages.
type Msg = { n: number };
const GOOD_BAD_GOOD = '{"n":1}\n{"n":\n{"n":2}\n';
const WAIT = 5_000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** What the handlers saw, in order, and a wait for a count of it. */
class Seen {
  readonly events: string[] = [];
  readonly errors: NetError[] = [];
  readonly conIds = new Set<string>();
  private _waiters: { count: number; resolve: () => void }[] = [];

  message = (message: Msg, conId?: ConId): void => this._add(`message ${message.n}`, conId);

  error = (error: NetError, conId: ConId): void => {
    this.errors.push(error);
    this._add(`error ${error.code}`, conId);
  };

  /** Resolves once `count` events came; rejects after a generous bound, so a missing one fails rather than hangs. */
  waitFor(count: number): Promise<void> {
    if (this.events.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const bound = setTimeout(() => reject(new Error(`saw only ${JSON.stringify(this.events)}`)), WAIT);
      this._waiters.push({ count, resolve: () => (clearTimeout(bound), resolve()) });
    });
  }

  private _add(event: string, conId: ConId | undefined): void {
    this.events.push(event);
    if (conId !== undefined) this.conIds.add(String(conId));
    for (const waiter of this._waiters.filter((w) => this.events.length >= w.count)) waiter.resolve();
    this._waiters = this._waiters.filter((w) => this.events.length < w.count);
  }
}

/** A raw TCP server that writes `text` to each connection; resolves with it and its port. */
async function rawServer(text: string): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.write(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.add(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0, sockets };
}

function expectDecodeError(error: NetError | undefined): void {
  expect(error?.code).toBe(ErrorCode.DECODE);
  expect(error?.cause).toBeInstanceOf(SyntaxError);
}

describe('onError beside onMessage', () => {
  it('a client gets the good messages in order and the bad frame through onError, and reads on', async () => {
    const { port, sockets } = await rawServer(GOOD_BAD_GOOD);
    const seen = new Seen();
    const clt = await Clt.connect<Msg, Msg>(
      { port },
      { codec: jsonCodec<Msg>(), onMessage: seen.message, onError: seen.error },
    );
    cleanups.add(() => clt.close());
    await seen.waitFor(3);
    expect(seen.events).toEqual(['message 1', `error ${ErrorCode.DECODE}`, 'message 2']);
    expectDecodeError(seen.errors[0]);
    expect([...seen.conIds]).toEqual([String(clt.conId)]);
    expect(clt.isConnected()).toBe(true);
    sockets[0].write('{"n":3}\n');
    await seen.waitFor(4);
    expect(seen.events[3]).toBe('message 3');
  });

  it('a service gets them with the connection each came on, and reads on', async () => {
    const seen = new Seen();
    const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', {
      codec: jsonCodec<Msg>(),
      autoPool: true,
      onMessage: seen.message,
      onError: seen.error,
    });
    cleanups.add(() => svc.close());
    const socket = netConnect(svc.port, '127.0.0.1');
    cleanups.add(() => socket.destroy());
    socket.write(GOOD_BAD_GOOD);
    await seen.waitFor(3);
    expect(seen.events).toEqual(['message 1', `error ${ErrorCode.DECODE}`, 'message 2']);
    expectDecodeError(seen.errors[0]);
    expect(seen.conIds.size).toBe(1);
    expect(svc.connectionCount).toBe(1);
    socket.write('{"n":3}\n');
    await seen.waitFor(4);
    expect(seen.events[3]).toBe('message 3');
  });

  it('without onError a bad frame is logged at warn, as before, and the stream reads on', async () => {
    const { port } = await rawServer(GOOD_BAD_GOOD);
    const seen = new Seen();
    const warnings: unknown[] = [];
    const logger: Logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    const clt = await Clt.connect<Msg, Msg>({ port }, { codec: jsonCodec<Msg>(), logger, onMessage: seen.message });
    cleanups.add(() => clt.close());
    await seen.waitFor(2);
    expect(seen.events).toEqual(['message 1', 'message 2']);
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0])).toContain('cannot decode');
  });

  it('a handler that throws is logged and the connection goes on', async () => {
    const { port } = await rawServer(GOOD_BAD_GOOD);
    const seen = new Seen();
    const warnings: unknown[] = [];
    const logger: Logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    const onError = (error: NetError, conId: ConId) => {
      seen.error(error, conId);
      throw new Error('handler failed');
    };
    const clt = await Clt.connect<Msg, Msg>(
      { port },
      { codec: jsonCodec<Msg>(), logger, onMessage: seen.message, onError },
    );
    cleanups.add(() => clt.close());
    await seen.waitFor(3);
    expect(seen.events).toEqual(['message 1', `error ${ErrorCode.DECODE}`, 'message 2']);
    expect(warnings.some((warning) => String(warning).includes('onError threw'))).toBe(true);
  });

  it('a reconnecting client without onMessage throws the decode error from recv() between the messages', async () => {
    const { port } = await rawServer(GOOD_BAD_GOOD);
    const clt = await Clt.connect<Msg, Msg>(
      { port },
      { codec: jsonCodec<Msg>(), logger: silentLogger, reconnect: true },
    );
    cleanups.add(() => clt.close());
    expect(await clt.recv({ timeout: WAIT })).toEqual({ n: 1 });
    await expect(clt.recv({ timeout: WAIT })).rejects.toMatchObject({ code: ErrorCode.DECODE });
    expect(await clt.recv({ timeout: WAIT })).toEqual({ n: 2 });
  });
});
