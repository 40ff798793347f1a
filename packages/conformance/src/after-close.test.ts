import { afterEach, describe, expect, it } from 'vitest';
import * as asyncFlavour from '@net/async';
import * as blocking from '@net/blocking';
import { type ConId, END_OF_STREAM, ErrorCode, jsonCodec, NetError, silentLogger } from '@net/core';
import * as nonblocking from '@net/nonblocking';
import { caseKeys, type CallTable, closed, describeOutcome, observe, resolves, returns } from './after-close-table.js';
import { closedCltCases, closedHalfCases, closedSvcCases, isId } from './after-close-sync-cases.js';

// What every public call of every flavour gives once the object it is called on was closed by the
// user. The tables are the single source: one object literal per class, listing each call (their
// types make a call missing from a table a type error), with the outcome it must have.
//
// The rules the tables hold to:
// - A send, an accept or a pool call on a closed object is NET_ERR_CLOSED (thrown, or a rejected
//   promise where the call returns one); an open service with an empty pool says
//   NET_ERR_NOT_CONNECTED instead.
// - A receive on a closed client is END_OF_STREAM, in every flavour, as a receive waiting when the
//   close came gets: a reader loop ends the same way whichever side of the close its call fell on.
//   A synchronous service's pool receive has no end-of-stream value, so it is NET_ERR_CLOSED;
//   `@net/async`'s (whose result includes `undefined`) resolves `undefined`.
// - A half of a synchronous client that its holder closed is NET_ERR_CLOSED for every call, even
//   while the other half keeps the connection open; closing the last half closes the connection.
//   `@net/async`'s sender half closes the whole connection.
// - Closing again does nothing and gives no error; getters keep answering (not connected, closed,
//   the same id and port, empty counts).
type Msg = { n: number };
const codec = () => jsonCodec<Msg>();
const MSG: Msg = { n: 1 };
const WAIT = 5_000;
const options = { codec: codec(), logger: silentLogger };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Calls every entry of `table` on `target` and checks all outcomes at once, so a failure shows the whole table. */
async function expectTable<T>(target: T, table: CallTable<T>): Promise<void> {
  const expected: Record<string, string> = {};
  const actual: Record<string, string> = {};
  for (const key of caseKeys(table)) {
    const name = String(key);
    const entry = table[key];
    expect(key in (target as object), `${name} is a call of the object`).toBe(true);
    expected[name] = describeOutcome(entry.expect);
    actual[name] = await observe(() => entry.call(target), entry.expect);
  }
  expect(actual).toEqual(expected);
}

describe('@net/async after close', () => {
  type Clt = asyncFlavour.Clt<Msg, Msg>;
  type Svc = asyncFlavour.Svc<Msg, Msg>;

  async function open(): Promise<{ svc: Svc; clt: Clt; pooled: ConId; handedOut: Clt }> {
    const svc = await asyncFlavour.Svc.bind<Msg, Msg>('127.0.0.1:0', options);
    cleanups.push(() => svc.close());
    const clt = await asyncFlavour.Clt.connect<Msg, Msg>({ port: svc.port }, options);
    cleanups.push(() => clt.close());
    const pooled = await svc.acceptIntoPool({ timeout: WAIT });
    const other = await asyncFlavour.Clt.connect<Msg, Msg>({ port: svc.port }, options);
    cleanups.push(() => other.close());
    const handedOut = await svc.accept({ timeout: WAIT });
    return { svc, clt, pooled, handedOut };
  }

  it('a closed Clt and its halves: sends are NET_ERR_CLOSED, receives END_OF_STREAM', async () => {
    const { clt } = await open();
    const { sender, receiver } = clt.split();
    const id = clt.conId;
    await clt.close();
    const cltTable: CallTable<Clt> = {
      conId: { call: (c) => c.conId, expect: returns(isId(id)) },
      isConnected: { call: (c) => c.isConnected(), expect: returns(false) },
      bufferedBytes: { call: (c) => c.bufferedBytes, expect: returns(0) },
      send: { call: (c) => c.send(MSG), expect: closed('throws') },
      flush: { call: (c) => c.flush(), expect: returns(undefined) },
      drained: { call: (c) => c.drained(), expect: resolves(undefined) },
      recv: { call: (c) => c.recv({ timeout: WAIT }), expect: resolves(END_OF_STREAM) },
      [Symbol.asyncIterator]: {
        call: (c) => c[Symbol.asyncIterator]().next(),
        expect: resolves({ done: true, value: undefined }),
      },
      split: { call: (c) => c.split().sender.send(MSG), expect: closed('throws') },
      closed: { call: (c) => c.closed, expect: resolves(undefined) },
      close: { call: (c) => c.close(), expect: resolves(undefined) },
      destroy: { call: (c) => c.destroy(), expect: returns(undefined) },
      [Symbol.asyncDispose]: { call: (c) => c[Symbol.asyncDispose](), expect: resolves(undefined) },
    };
    await expectTable(clt, cltTable);
    await expectTable(sender, {
      conId: { call: (s) => s.conId, expect: returns(isId(id)) },
      send: { call: (s) => s.send(MSG), expect: closed('throws') },
      flush: { call: (s) => s.flush(), expect: returns(undefined) },
      drained: { call: (s) => s.drained(), expect: resolves(undefined) },
      close: { call: (s) => s.close(), expect: resolves(undefined) },
    });
    await expectTable(receiver, {
      conId: { call: (r) => r.conId, expect: returns(isId(id)) },
      recv: { call: (r) => r.recv({ timeout: WAIT }), expect: resolves(END_OF_STREAM) },
      [Symbol.asyncIterator]: {
        call: (r) => r[Symbol.asyncIterator]().next(),
        expect: resolves({ done: true, value: undefined }),
      },
    });
  });

  it("closing the sender half closes the connection: the receiver's calls see its end", async () => {
    const { clt } = await open();
    const { sender, receiver } = clt.split();
    await sender.close();
    expect(clt.isConnected()).toBe(false);
    expect(await receiver.recv({ timeout: WAIT })).toBe(END_OF_STREAM);
    expect(observeNow(() => clt.send(MSG))).toBe(ErrorCode.CLOSED);
  });

  it('a closed Svc: sends and accepts are NET_ERR_CLOSED, receives resolve undefined', async () => {
    const { svc, pooled, handedOut } = await open();
    const port = svc.port;
    await svc.close();
    expect(handedOut.isConnected()).toBe(false);
    const id = svc.conId;
    const svcTable: CallTable<Svc> = {
      conId: { call: (s) => s.conId, expect: returns(isId(id)) },
      rejectedCount: { call: (s) => s.rejectedCount, expect: returns(0) },
      address: { call: (s) => s.address, expect: returns({ kind: 'tcp', host: '127.0.0.1', port }) },
      port: { call: (s) => s.port, expect: returns(port) },
      size: { call: (s) => s.size, expect: returns(0) },
      connectionCount: { call: (s) => s.connectionCount, expect: returns(0) },
      connections: { call: (s) => [...s.connections()], expect: returns([]) },
      accept: { call: (s) => s.accept({ timeout: WAIT }), expect: closed('rejects') },
      acceptIntoPool: { call: (s) => s.acceptIntoPool({ timeout: WAIT }), expect: closed('rejects') },
      send: { call: (s) => s.send(MSG), expect: closed('throws') },
      sendTo: { call: (s) => s.sendTo(pooled, MSG), expect: closed('throws') },
      broadcast: { call: (s) => s.broadcast(MSG), expect: closed('throws') },
      recv: { call: (s) => s.recv({ timeout: WAIT }), expect: resolves(undefined) },
      recvFrom: { call: (s) => s.recvFrom({ timeout: WAIT }), expect: resolves(undefined) },
      close: { call: (s) => s.close(), expect: resolves(undefined) },
      [Symbol.asyncDispose]: { call: (s) => s[Symbol.asyncDispose](), expect: resolves(undefined) },
    };
    await expectTable(svc, svcTable);
  });

  it('an open Svc with an empty pool: pool sends are NET_ERR_NOT_CONNECTED, a broadcast reaches none', async () => {
    const svc = await asyncFlavour.Svc.bind<Msg, Msg>('127.0.0.1:0', options);
    cleanups.push(() => svc.close());
    expect(observeNow(() => svc.send(MSG))).toBe(ErrorCode.NOT_CONNECTED);
    expect(observeNow(() => svc.sendTo(12_345, MSG))).toBe(ErrorCode.NOT_CONNECTED);
    expect(svc.broadcast(MSG)).toBe(0);
  });
});

/** The code a synchronous call threw, or what it returned. */
function observeNow(call: () => unknown): unknown {
  try {
    return call();
  } catch (error) {
    return NetError.isNetError(error) ? error.code : error;
  }
}

/** Accepts until a connection comes (the synchronous flavours' services accept only when called). */
function acceptSync<T>(attempt: () => T | typeof nonblocking.WOULD_BLOCK | typeof nonblocking.REJECTED): T {
  const found = attempt();
  if (found === nonblocking.WOULD_BLOCK || found === nonblocking.REJECTED)
    throw new Error(`no connection within ${WAIT} ms`);
  return found;
}

describe('@net/nonblocking after close', () => {
  type Clt = nonblocking.Clt<Msg, Msg>;
  type Svc = nonblocking.Svc<Msg, Msg>;

  /** A service with `clt` in its pool and `handedOut`, the peer of `other`, handed out by `accept`. */
  function open(): { svc: Svc; clt: Clt; pooled: ConId; other: Clt; handedOut: Clt } {
    const svc = nonblocking.Svc.bind<Msg, Msg>('127.0.0.1:0', options);
    cleanups.push(() => svc.close());
    const clt = nonblocking.Clt.connect<Msg, Msg>({ port: svc.port }, options);
    cleanups.push(() => clt.close());
    const pooled = acceptSync(() => svc.acceptIntoPool({ timeout: WAIT }));
    const other = nonblocking.Clt.connect<Msg, Msg>({ port: svc.port }, options);
    cleanups.push(() => other.close());
    const handedOut = acceptSync(() => svc.accept({ timeout: WAIT }));
    cleanups.push(() => handedOut.close());
    return { svc, clt, pooled, other, handedOut };
  }

  it('a closed Clt: sends are NET_ERR_CLOSED, receives END_OF_STREAM', async () => {
    const { clt } = open();
    const id = clt.conId;
    clt.close();
    const cltTable: CallTable<Clt> = {
      ...closedCltCases(id, MSG),
      sendBusywaitTimeout: { call: (c) => c.sendBusywaitTimeout(MSG, WAIT), expect: closed('throws') },
      sendBusywait: { call: (c) => c.sendBusywait(MSG), expect: closed('throws') },
      sendManyBusywait: { call: (c) => c.sendManyBusywait([MSG]), expect: closed('throws') },
      recv: { call: (c) => c.recv({ timeout: WAIT }), expect: returns(END_OF_STREAM) },
      recvBusywaitTimeout: { call: (c) => c.recvBusywaitTimeout(WAIT), expect: returns(END_OF_STREAM) },
      recvBusywait: { call: (c) => c.recvBusywait(), expect: returns(END_OF_STREAM) },
      intoSenderWithSpawnedReceiver: {
        // The poller reports the end at its next pass, as it would for a connection that ended
        // while it polled it; the sender it hands back is the closed connection's.
        call: (c) => {
          const poller = new nonblocking.Poller();
          const ends: (NetError | undefined)[] = [];
          const sender = c.intoSenderWithSpawnedReceiver(poller, {
            onMessage: () => {},
            onEnd: (reason) => ends.push(reason),
          });
          poller.pollOnce();
          return [ends, observeNow(() => sender.send(MSG))];
        },
        expect: returns([[undefined], ErrorCode.CLOSED]),
      },
    };
    await expectTable(clt, cltTable);
  });

  it('halves: one closed by its holder is NET_ERR_CLOSED, the other goes on until it closes too', async () => {
    const { other: clt, handedOut } = open();
    const { sender, receiver } = clt.split();
    const id = clt.conId;
    sender.close();
    handedOut.send({ n: 7 }, { timeout: WAIT });
    expect(clt.isClosed).toBe(false);
    expect(receiver.recv({ timeout: WAIT })).toEqual({ n: 7 });
    expect(clt.send({ n: 8 })).toBe('completed');
    receiver.close();
    expect(clt.isClosed).toBe(true);
    const senderTable: CallTable<nonblocking.CltSender<Msg, Msg>> = {
      ...closedHalfCases(id),
      send: { call: (s) => s.send(MSG), expect: closed('throws') },
      sendMany: { call: (s) => s.sendMany([MSG]), expect: closed('throws') },
      sendBusywaitTimeout: { call: (s) => s.sendBusywaitTimeout(MSG, WAIT), expect: closed('throws') },
      sendBusywait: { call: (s) => s.sendBusywait(MSG), expect: closed('throws') },
      sendManyBusywait: { call: (s) => s.sendManyBusywait([MSG]), expect: closed('throws') },
    };
    await expectTable(sender, senderTable);
    const receiverTable: CallTable<nonblocking.CltReceiver<Msg, Msg>> = {
      ...closedHalfCases(id),
      recv: { call: (r) => r.recv({ timeout: WAIT }), expect: closed('throws') },
      recvBusywaitTimeout: { call: (r) => r.recvBusywaitTimeout(WAIT), expect: closed('throws') },
      recvBusywait: { call: (r) => r.recvBusywait(), expect: closed('throws') },
    };
    await expectTable(receiver, receiverTable);
  });

  it('a closed Svc: every send, receive and accept is NET_ERR_CLOSED', async () => {
    const { svc, pooled, handedOut } = open();
    const id = svc.conId;
    const port = svc.port;
    handedOut.close();
    svc.close();
    const svcTable: CallTable<Svc> = {
      ...closedSvcCases({ id, port, handedOut, pooled, message: MSG }),
      accept: { call: (s) => s.accept({ timeout: WAIT }), expect: closed('throws') },
      acceptIntoPool: { call: (s) => s.acceptIntoPool({ timeout: WAIT }), expect: closed('throws') },
      recvFrom: { call: (s) => s.recvFrom(), expect: closed('throws') },
      acceptBusywaitTimeout: { call: (s) => s.acceptBusywaitTimeout(WAIT), expect: closed('throws') },
      acceptBusywait: { call: (s) => s.acceptBusywait(), expect: closed('throws') },
      acceptIntoPoolBusywaitTimeout: { call: (s) => s.acceptIntoPoolBusywaitTimeout(WAIT), expect: closed('throws') },
      acceptIntoPoolBusywait: { call: (s) => s.acceptIntoPoolBusywait(), expect: closed('throws') },
      sendBusywaitTimeout: { call: (s) => s.sendBusywaitTimeout(MSG, WAIT), expect: closed('throws') },
      sendBusywait: { call: (s) => s.sendBusywait(MSG), expect: closed('throws') },
      recvBusywaitTimeout: { call: (s) => s.recvBusywaitTimeout(WAIT), expect: closed('throws') },
      recvBusywait: { call: (s) => s.recvBusywait(), expect: closed('throws') },
      recvFromBusywaitTimeout: { call: (s) => s.recvFromBusywaitTimeout(WAIT), expect: closed('throws') },
      recvFromBusywait: { call: (s) => s.recvFromBusywait(), expect: closed('throws') },
    };
    await expectTable(svc, svcTable);
  });

  it('an open Svc with an empty pool: pool sends are NET_ERR_NOT_CONNECTED, receives WOULD_BLOCK', () => {
    const svc = nonblocking.Svc.bind<Msg, Msg>('127.0.0.1:0', options);
    cleanups.push(() => svc.close());
    expect(observeNow(() => svc.send(MSG))).toBe(ErrorCode.NOT_CONNECTED);
    expect(observeNow(() => svc.sendTo(12_345, MSG))).toBe(ErrorCode.NOT_CONNECTED);
    expect(observeNow(() => svc.recvBusywait())).toBe(ErrorCode.NOT_CONNECTED);
    expect(svc.recv()).toBe(nonblocking.WOULD_BLOCK);
    expect(svc.broadcast(MSG)).toBe(0);
  });
});

describe('@net/blocking after close', () => {
  type Clt = blocking.Clt<Msg, Msg>;
  type Svc = blocking.Svc<Msg, Msg>;

  /** A service with `clt` in its pool and `handedOut`, the peer of `other`, handed out by `accept`. */
  function open(): { svc: Svc; clt: Clt; pooled: ConId; other: Clt; handedOut: Clt } {
    const svc = blocking.Svc.bind<Msg, Msg>('127.0.0.1:0', options);
    cleanups.push(() => svc.close());
    const clt = blocking.Clt.connect<Msg, Msg>({ port: svc.port }, options);
    cleanups.push(() => clt.close());
    const pooled = svc.acceptIntoPool({ timeout: WAIT });
    const other = blocking.Clt.connect<Msg, Msg>({ port: svc.port }, options);
    cleanups.push(() => other.close());
    const handedOut = svc.accept({ timeout: WAIT });
    cleanups.push(() => handedOut.close());
    return { svc, clt, pooled, other, handedOut };
  }

  it('a closed Clt: sends are NET_ERR_CLOSED, receives END_OF_STREAM', async () => {
    const { clt } = open();
    const id = clt.conId;
    clt.close();
    const cltTable: CallTable<Clt> = {
      ...closedCltCases(id, MSG),
      trySend: { call: (c) => c.trySend(MSG), expect: closed('throws') },
      trySendMany: { call: (c) => c.trySendMany([MSG]), expect: closed('throws') },
      recv: { call: (c) => c.recv(), expect: returns(END_OF_STREAM) },
      tryRecv: { call: (c) => c.tryRecv(), expect: returns(END_OF_STREAM) },
      [Symbol.iterator]: {
        call: (c) => c[Symbol.iterator]().next(),
        expect: returns({ done: true, value: undefined }),
      },
    };
    await expectTable(clt, cltTable);
  });

  it('halves: one closed by its holder is NET_ERR_CLOSED, the other goes on until it closes too', async () => {
    const { other: clt, handedOut } = open();
    const { sender, receiver } = clt.split();
    const id = clt.conId;
    receiver.close();
    expect(clt.isClosed).toBe(false);
    sender.send({ n: 7 }, { timeout: WAIT });
    expect(handedOut.recv({ timeout: WAIT })).toEqual({ n: 7 });
    sender.close();
    expect(clt.isClosed).toBe(true);
    const senderTable: CallTable<blocking.CltSender<Msg, Msg>> = {
      ...closedHalfCases(id),
      send: { call: (s) => s.send(MSG), expect: closed('throws') },
      sendMany: { call: (s) => s.sendMany([MSG]), expect: closed('throws') },
      trySend: { call: (s) => s.trySend(MSG), expect: closed('throws') },
      trySendMany: { call: (s) => s.trySendMany([MSG]), expect: closed('throws') },
    };
    await expectTable(sender, senderTable);
    const receiverTable: CallTable<blocking.CltReceiver<Msg, Msg>> = {
      ...closedHalfCases(id),
      recv: { call: (r) => r.recv(), expect: closed('throws') },
      tryRecv: { call: (r) => r.tryRecv(), expect: closed('throws') },
      [Symbol.iterator]: { call: (r) => r[Symbol.iterator]().next(), expect: closed('throws') },
    };
    await expectTable(receiver, receiverTable);
  });

  it('a closed Svc: every send, receive and accept is NET_ERR_CLOSED', async () => {
    const { svc, pooled, handedOut } = open();
    const id = svc.conId;
    const port = svc.port;
    handedOut.close();
    svc.close();
    const svcTable: CallTable<Svc> = {
      ...closedSvcCases({ id, port, handedOut, pooled, message: MSG }),
      accept: { call: (s) => s.accept(), expect: closed('throws') },
      acceptIntoPool: { call: (s) => s.acceptIntoPool(), expect: closed('throws') },
      recvFrom: { call: (s) => s.recvFrom({ timeout: WAIT }), expect: closed('throws') },
      tryAccept: { call: (s) => s.tryAccept(), expect: closed('throws') },
      tryAcceptIntoPool: { call: (s) => s.tryAcceptIntoPool(), expect: closed('throws') },
      trySend: { call: (s) => s.trySend(MSG), expect: closed('throws') },
      trySendTo: { call: (s) => s.trySendTo(pooled, MSG), expect: closed('throws') },
      tryRecv: { call: (s) => s.tryRecv(), expect: closed('throws') },
      tryRecvFrom: { call: (s) => s.tryRecvFrom(), expect: closed('throws') },
    };
    await expectTable(svc, svcTable);
  });

  it('an open Svc with an empty pool: pool sends and an unbounded receive are NET_ERR_NOT_CONNECTED', () => {
    const svc = blocking.Svc.bind<Msg, Msg>('127.0.0.1:0', options);
    cleanups.push(() => svc.close());
    expect(observeNow(() => svc.send(MSG))).toBe(ErrorCode.NOT_CONNECTED);
    expect(observeNow(() => svc.sendTo(12_345, MSG))).toBe(ErrorCode.NOT_CONNECTED);
    expect(observeNow(() => svc.recv())).toBe(ErrorCode.NOT_CONNECTED);
    expect(svc.tryRecv()).toBe(blocking.WOULD_BLOCK);
    expect(svc.broadcast(MSG)).toBe(0);
  });
});
