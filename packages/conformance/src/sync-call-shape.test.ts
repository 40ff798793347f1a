import { afterEach, describe, expect, it } from 'vitest';
import * as asyncFlavour from '@net/async';
import * as blocking from '@net/blocking';
import { type ConId, END_OF_STREAM, ErrorCode, jsonCodec } from '@net/core';
import * as nonblocking from '@net/nonblocking';

// One call shape across the two synchronous flavours: every send, receive and accept takes
// `{ timeout }` (0 is one attempt), the status-returning calls give the same statuses, and the end
// of a stream is the same value everywhere. `@net/nonblocking`'s plain calls are its status calls;
// `@net/blocking`'s are its `try...` calls. This runs one table of expectations over both.
type Msg = { n: number; pad?: string };
const codec = () => jsonCodec<Msg>();
const LONG = 5_000;

interface StatusClt {
  send(message: Msg, options?: { timeout?: number }): nonblocking.SendStatus;
  recv(options?: { timeout?: number }): Msg | typeof nonblocking.WOULD_BLOCK | undefined;
  readonly isClosed: boolean;
  close(): void;
}

interface StatusSvc {
  readonly port: number;
  readonly isClosed: boolean;
  accept(options?: { timeout?: number }): StatusClt | typeof nonblocking.REJECTED | typeof nonblocking.WOULD_BLOCK;
  acceptIntoPool(options?: { timeout?: number }): ConId | typeof nonblocking.REJECTED | typeof nonblocking.WOULD_BLOCK;
  sendTo(target: ConId, message: Msg, options?: { timeout?: number }): nonblocking.SendStatus;
  recvFrom(options?: { timeout?: number }): { conId: ConId; message: Msg } | typeof nonblocking.WOULD_BLOCK;
  /** The flavour's unbounded pool receive. */
  recvForever(): Msg;
  close(): void;
}

interface Flavour {
  readonly name: string;
  bind(maxConnections?: number): StatusSvc;
  connect(port: number): StatusClt;
}

const nonblockingFlavour: Flavour = {
  name: 'nonblocking',
  bind(maxConnections = 16) {
    const svc = nonblocking.Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec(), maxConnections });
    return Object.assign(svc, { recvForever: () => svc.recv({ timeout: Infinity }) as Msg });
  },
  connect: (port) => nonblocking.Clt.connect<Msg, Msg>({ port }, { codec: codec() }),
};

const blockingFlavour: Flavour = {
  name: 'blocking',
  bind(maxConnections = 16) {
    const svc = blocking.Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec(), maxConnections });
    const asStatus = (clt: blocking.Clt<Msg, Msg>): StatusClt => ({
      send: (message, options) => clt.trySend(message, options),
      recv: (options) => clt.tryRecv(options),
      get isClosed() {
        return clt.isClosed;
      },
      close: () => clt.close(),
    });
    return {
      port: svc.port,
      get isClosed() {
        return svc.isClosed;
      },
      accept(options) {
        const result = svc.tryAccept(options);
        return result === blocking.WOULD_BLOCK || result === blocking.REJECTED ? result : asStatus(result);
      },
      acceptIntoPool: (options) => svc.tryAcceptIntoPool(options),
      sendTo: (target, message, options) => svc.trySendTo(target, message, options),
      recvFrom: (options) => svc.tryRecvFrom(options),
      recvForever: () => svc.recv(),
      close: () => svc.close(),
    };
  },
  connect(port) {
    const clt = blocking.Clt.connect<Msg, Msg>({ port }, { codec: codec() });
    return {
      send: (m, o) => clt.trySend(m, o),
      recv: (o) => clt.tryRecv(o),
      get isClosed() {
        return clt.isClosed;
      },
      close: () => clt.close(),
    };
  },
};

const open: { close(): void }[] = [];
afterEach(() => {
  for (const thing of open.splice(0).reverse()) thing.close();
});
const track = <T extends { close(): void }>(thing: T): T => {
  open.push(thing);
  return thing;
};

/** A client connected and accepted on the service side, both as status calls. */
function pair(flavour: Flavour): { svc: StatusSvc; clt: StatusClt; peer: StatusClt } {
  const svc = track(flavour.bind());
  const clt = track(flavour.connect(svc.port));
  const peer = svc.accept({ timeout: LONG });
  if (typeof peer === 'symbol') throw new Error(`not accepted: ${String(peer)}`);
  return { svc, clt, peer: track(peer) };
}

describe('one end of stream in every flavour', () => {
  it('is undefined, under the same name in all three', () => {
    expect(END_OF_STREAM).toBeUndefined();
    expect(nonblocking.END_OF_STREAM).toBe(END_OF_STREAM);
    expect(blocking.END_OF_STREAM).toBe(END_OF_STREAM);
    expect(asyncFlavour.END_OF_STREAM).toBe(END_OF_STREAM);
  });
});

describe.each([nonblockingFlavour, blockingFlavour])('the status calls of $name', (flavour) => {
  it('make one attempt by default: nothing there is WOULD_BLOCK at once, for recv, accept and recvFrom', () => {
    const { svc, clt, peer } = pair(flavour);
    expect(clt.recv()).toBe(nonblocking.WOULD_BLOCK);
    expect(clt.recv({ timeout: 0 })).toBe(nonblocking.WOULD_BLOCK);
    expect(svc.accept()).toBe(nonblocking.WOULD_BLOCK);
    expect(svc.acceptIntoPool({ timeout: 0 })).toBe(nonblocking.WOULD_BLOCK);
    expect(svc.recvFrom()).toBe(nonblocking.WOULD_BLOCK);
    // Nothing was lost: the connection still carries messages both ways.
    expect(clt.send({ n: 1 })).toBe('completed');
    expect(peer.recv({ timeout: LONG })).toEqual({ n: 1 });
  });

  it('wait up to a timeout, then say WOULD_BLOCK; a message within it is returned', () => {
    const { clt, peer } = pair(flavour);
    expect(clt.recv({ timeout: 20 })).toBe(nonblocking.WOULD_BLOCK);
    expect(peer.send({ n: 2 }, { timeout: LONG })).toBe('completed');
    expect(clt.recv({ timeout: LONG })).toEqual({ n: 2 });
  });

  it('end a stream the peer closed with END_OF_STREAM, after every message', () => {
    const { clt, peer } = pair(flavour);
    expect(peer.send({ n: 3 })).toBe('completed');
    peer.close();
    expect(clt.recv({ timeout: LONG })).toEqual({ n: 3 });
    expect(clt.recv({ timeout: LONG })).toBe(END_OF_STREAM);
    expect(peer.isClosed).toBe(true);
  });

  it('refuse a timeout that is not 0 or more ms with NET_ERR_INVALID_ARGUMENT, and stay usable', () => {
    const { clt, peer } = pair(flavour);
    for (const timeout of [-1, Number.NaN, '5' as unknown as number]) {
      expect(() => clt.recv({ timeout }), String(timeout)).toThrow(
        expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
      );
      expect(() => clt.send({ n: 0 }, { timeout }), String(timeout)).toThrow(
        expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
      );
    }
    expect(clt.send({ n: 4 })).toBe('completed');
    expect(peer.recv({ timeout: LONG })).toEqual({ n: 4 });
  });

  it('say REJECTED for a connection over maxConnections', () => {
    const svc = track(flavour.bind(1));
    const first = track(flavour.connect(svc.port));
    expect(typeof svc.acceptIntoPool({ timeout: LONG })).not.toBe('symbol');
    const second = track(flavour.connect(svc.port));
    expect(svc.accept({ timeout: LONG })).toBe(nonblocking.REJECTED);
    // The refused client sees its connection end; the pooled one is untouched.
    expect(second.recv({ timeout: LONG })).toBe(END_OF_STREAM);
    expect(first.send({ n: 5 })).toBe('completed');
    const got = svc.recvFrom({ timeout: LONG });
    expect(got === nonblocking.WOULD_BLOCK ? got : got.message).toEqual({ n: 5 });
  });

  it('report isClosed on both the client and the service', () => {
    const { svc, clt } = pair(flavour);
    expect([clt.isClosed, svc.isClosed]).toEqual([false, false]);
    clt.close();
    svc.close();
    expect([clt.isClosed, svc.isClosed]).toEqual([true, true]);
  });

  it('refuse an unbounded pool receive on an empty pool with NET_ERR_NOT_CONNECTED instead of hanging', () => {
    const svc = track(flavour.bind());
    expect(() => svc.recvForever()).toThrow(expect.objectContaining({ code: ErrorCode.NOT_CONNECTED }));
  });
});

describe('the throwing calls of @net/blocking', () => {
  it('give NET_ERR_TIMEOUT where the try calls give WOULD_BLOCK, and the connection stays usable', () => {
    const svc = track(blocking.Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    expect(() => svc.accept({ timeout: 0 })).toThrow(expect.objectContaining({ code: ErrorCode.TIMEOUT }));
    const clt = track(blocking.Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    svc.acceptIntoPool({ timeout: LONG });
    expect(() => svc.recvFrom({ timeout: 0 })).toThrow(expect.objectContaining({ code: ErrorCode.TIMEOUT }));
    expect(() => clt.recv({ timeout: 10 })).toThrow(expect.objectContaining({ code: ErrorCode.TIMEOUT }));
    clt.send({ n: 6 });
    expect(svc.recv({ timeout: LONG })).toEqual({ n: 6 });
  });
});
