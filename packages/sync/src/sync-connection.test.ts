import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { ErrorCode, jsonCodec, NetError, type Protocol } from '@net/core';
// The package's built code, by its own name: the broker thread runs compiled JavaScript.
import { END_OF_STREAM, socketHostKind, type SyncConnectionOptions, WOULD_BLOCK } from '@net/sync';
import { socketBroker, type SyncConnection } from '@net/sync/internal';
import {
  awaitWatchReport,
  connectionPair,
  PATIENCE_MS,
  recvWithin,
  waitFor,
  writeRaw,
} from './test-support/loopback.js';
import { thrownBy } from './test-support/thrown-by.js';
import type { WatchTable } from './watch-table.js';

type Msg = { n: number };
const options = (extra: Partial<SyncConnectionOptions<Msg, Msg>> = {}): SyncConnectionOptions<Msg, Msg> => ({
  codec: jsonCodec<Msg>(),
  ...extra,
});

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** A client and a server connection, both past a handshake of nothing (no protocol). */
function readyPair(client = options(), server = options()) {
  const pair = connectionPair(socketBroker(), client, server);
  cleanups.add(pair.closeAll);
  pair.client.driver.start();
  pair.server.driver.start();
  return pair;
}

/** Whether the broker has reported for `fd` and nobody took the report yet (after draining the port). */
function reportWaiting(connection: SyncConnection<Msg, Msg>): boolean {
  const broker = connection.broker;
  broker.drain();
  return (broker as unknown as { _watched: WatchTable })._watched.waiting(connection.fd);
}

describe('SyncConnection receiving', () => {
  it('decodes a frame that arrives a byte at a time, and several frames from one read', () => {
    const { client, server } = readyPair();
    const frame = '{"n":1}\n';
    for (let i = 0; i < frame.length; i++) {
      // The broker's report says the byte was read before the next one is written.
      client.watch();
      writeRaw(server, frame[i]);
      awaitWatchReport(client);
      if (i < frame.length - 1) expect(client.decodeBuffered()).toBeUndefined();
    }
    expect(client.decodeBuffered()).toEqual({ n: 1 });
    client.watch();
    writeRaw(server, '{"n":2}\n{"n":3}\n{"n"');
    awaitWatchReport(client);
    expect(client.recvOnce()).toEqual({ n: 2 });
    expect(client.recvOnce()).toEqual({ n: 3 });
    expect(client.decodeBuffered()).toBeUndefined();
    writeRaw(server, ':4}\n');
    expect(recvWithin(client)).toEqual({ n: 4 });
  });

  it('says END_OF_STREAM once the peer closed and every message was taken, and goes on saying it', () => {
    const { client, server } = readyPair();
    expect(server.sendUntil({ n: 1 }, PATIENCE_MS + performance.now())).toBe(true);
    server.close();
    expect(recvWithin(client)).toEqual({ n: 1 });
    expect(recvWithin(client)).toBe(END_OF_STREAM);
    expect(client.isOpen).toBe(false);
    expect(client.reason).toBeUndefined();
    expect(client.recvOnce()).toBe(END_OF_STREAM);
  });

  it('fails with NET_ERR_TRUNCATED when the stream ends inside a frame', () => {
    const { client, server } = readyPair();
    writeRaw(server, '{"n":1');
    server.close();
    const error = thrownBy(() => recvWithin(client));
    expect(error.code).toBe(ErrorCode.TRUNCATED);
    expect(client.reason).toBe(error);
    expect(client.isOpen).toBe(false);
    expect(() => client.recvOnce()).toThrow(error);
  });

  it('fails only that receive for a frame that does not decode; the next message still comes', () => {
    const { client, server } = readyPair();
    writeRaw(server, 'not json\n{"n":2}\n');
    expect(thrownBy(() => recvWithin(client)).code).toBe(ErrorCode.DECODE);
    expect(client.isOpen).toBe(true);
    expect(recvWithin(client)).toEqual({ n: 2 });
  });

  it('ends the connection when the stream cannot be framed any more (a frame over the limit)', () => {
    const { client, server } = readyPair(options({ codec: jsonCodec<Msg>({ maxFrameLength: 16 }) }));
    writeRaw(server, `{"n":${'1'.repeat(40)}}\n`);
    const error = thrownBy(() => recvWithin(client));
    expect(error.code).not.toBe(ErrorCode.DECODE);
    expect(client.isOpen).toBe(false);
    expect(client.reason).toBe(error);
  });
});

describe('SyncConnection closing', () => {
  it('tells each close listener once, in order, when the peer ends the stream; a later close changes nothing', () => {
    const { client, server } = readyPair();
    const calls: string[] = [];
    client.onClose(() => calls.push('first'));
    client.onClose(() => calls.push('second'));
    server.close();
    expect(recvWithin(client)).toBe(END_OF_STREAM);
    client.close();
    expect(calls).toEqual(['first', 'second']);
    client.onClose(() => calls.push('late'));
    expect(calls).toEqual(['first', 'second', 'late']);
  });

  it('closes once: the descriptor goes back to the broker, later sends fail with NET_ERR_CLOSED, and the peer sees the end', () => {
    const { client, server } = readyPair();
    client.close();
    client.close();
    expect(client.isOpen).toBe(false);
    expect(client.fd).toBe(-1);
    expect(client.ioPath).toBeUndefined();
    expect(client.isWatched).toBe(false);
    expect(thrownBy(() => client.sendUntil({ n: 1 }, -1)).code).toBe(ErrorCode.CLOSED);
    expect(thrownBy(() => client.writeSome(new Uint8Array(1), 0, 1)).code).toBe(ErrorCode.CLOSED);
    expect(recvWithin(server)).toBe(END_OF_STREAM);
  });

  it("sends the protocol's last words before a graceful close, and none for a close with a reason", () => {
    const bye: Protocol<Msg, Msg> = { onDisconnect: (sender) => sender.send({ n: -1 }) };
    const graceful = readyPair(options({ protocol: bye }));
    graceful.client.close();
    expect(recvWithin(graceful.server)).toEqual({ n: -1 });
    expect(recvWithin(graceful.server)).toBe(END_OF_STREAM);
    const failed = readyPair(options({ protocol: bye }));
    const reason = new NetError(ErrorCode.PROTOCOL, 'gave up');
    failed.client.close(reason);
    expect(failed.client.reason).toBe(reason);
    expect(recvWithin(failed.server)).toBe(END_OF_STREAM);
  });
});

describe('SyncConnection idle watch', () => {
  it('is handed to the broker after watchAfterIdlePolls empty polls; the report wakes a parked thread and the message comes', () => {
    const { client, server } = readyPair();
    const broker = client.broker;
    expect(client.recvOnce(3)).toBe(WOULD_BLOCK);
    expect(client.recvOnce(3)).toBe(WOULD_BLOCK);
    expect(client.isWatched).toBe(false);
    expect(client.recvOnce(3)).toBe(WOULD_BLOCK);
    expect(client.isWatched).toBe(true);
    expect(server.sendUntil({ n: 7 }, performance.now() + PATIENCE_MS)).toBe(true);
    const message = waitFor(broker, 'the watched message', () => {
      const result = client.recvOnce(3);
      return result === WOULD_BLOCK ? undefined : result;
    });
    expect(message).toEqual({ n: 7 });
    expect(client.isWatched).toBe(false);
  });

  // Counts the broker thread's posted reports: the Node path only.
  it.skipIf(socketHostKind() !== 'broker')(
    'unwatch keeps the bytes the broker had already read: they are decoded without another read',
    () => {
      const { client, server } = readyPair();
      client.watch();
      expect(server.sendUntil({ n: 5 }, performance.now() + PATIENCE_MS)).toBe(true);
      waitFor(client.broker, 'the report', () => (reportWaiting(client) ? true : undefined));
      client.unwatch();
      expect(client.isWatched).toBe(false);
      expect(client.decodeBuffered()).toEqual({ n: 5 });
    },
  );

  it('ends with END_OF_STREAM when the peer closes while the broker watches', () => {
    const { client, server } = readyPair();
    client.watch();
    server.close();
    awaitWatchReport(client);
    expect(client.isOpen).toBe(false);
    expect(client.recvOnce()).toBe(END_OF_STREAM);
  });
});

describe('SyncConnection modes', () => {
  // The C-library path reads both modes the same way (see the libc host tests).
  it.skipIf(socketHostKind() !== 'broker')(
    'reads through WASI in either mode: a blocking read parks, a non-blocking one reports nothing',
    () => {
      const { client, server } = readyPair();
      client.setBlocking(true);
      expect(client.isBlocking).toBe(true);
      expect(client.ioPath).toBe('wasi');
      expect(server.sendUntil({ n: 1 }, performance.now() + PATIENCE_MS)).toBe(true);
      // A blocking read parks until the message is there.
      expect(client.recvOnce()).toEqual({ n: 1 });
      client.setBlocking(false);
      expect(client.ioPath).toBe('wasi');
      expect(client.recvOnce()).toBe(WOULD_BLOCK);
    },
  );
});

describe('SyncConnection handshake stepping', () => {
  // The client's handshake is done when the server's welcome ({ n: -1 }) comes.
  const awaitWelcome: Protocol<Msg, Msg> = { onHandshakeRecv: (message) => (message.n === -1 ? 'done' : 'continue') };

  it("completes on the peer's message and hands out a user message that came in the same read first", () => {
    const { client, server } = readyPair(options({ protocol: awaitWelcome }));
    expect(client.driver.state).toBe('handshaking');
    expect(client.stepHandshake(1)).toBe(false);
    // One write, so one read takes both.
    expect(server.sendManyUntil([{ n: -1 }, { n: 42 }], performance.now() + PATIENCE_MS)).toBe(true);
    waitFor(client.broker, 'the handshake', () => (client.stepHandshake(1) ? true : undefined));
    expect(client.driver.state).toBe('ready');
    expect(client.recvOnce()).toEqual({ n: 42 });
  });

  it("reports a frame that does not decode right behind the peer's last handshake message at the next receive, in order", () => {
    const { client, server } = readyPair(options({ protocol: awaitWelcome }));
    // One write, so one read takes the welcome, the bad frame and the message behind it.
    writeRaw(server, '{"n":-1}\nnot json\n{"n":42}\n');
    waitFor(client.broker, 'the handshake', () => (client.stepHandshake(1) ? true : undefined));
    expect(client.driver.state).toBe('ready');
    expect(thrownBy(() => client.recvOnce()).code).toBe(ErrorCode.DECODE);
    expect(client.isOpen).toBe(true);
    expect(client.recvOnce()).toEqual({ n: 42 });
  });

  it('hands a decode error kept from the handshake to a receive that only decodes what is buffered', () => {
    const { client, server } = readyPair(options({ protocol: awaitWelcome }));
    writeRaw(server, '{"n":-1}\nnot json\n{"n":42}\n');
    waitFor(client.broker, 'the handshake', () => (client.stepHandshake(1) ? true : undefined));
    expect(thrownBy(() => client.decodeBuffered()).code).toBe(ErrorCode.DECODE);
    expect(client.decodeBuffered()).toEqual({ n: 42 });
  });

  it('fails with NET_ERR_HANDSHAKE when the peer closes during the handshake, and closes the connection', () => {
    const { client, server } = readyPair(options({ protocol: awaitWelcome }));
    server.close();
    const error = thrownBy(() =>
      waitFor(client.broker, 'the handshake to end', () => (client.stepHandshake(1) ? true : undefined)),
    );
    expect(error.code).toBe(ErrorCode.HANDSHAKE);
    // The driver's own reason: the connection closed while it waited.
    expect(error.message).toMatch(/closed during the handshake/);
    expect(client.isOpen).toBe(false);
  });

  it("fails with the protocol's own error when its hook refuses", () => {
    const refuse: Protocol<Msg, Msg> = {
      onHandshakeRecv: () => {
        throw new Error('login refused');
      },
    };
    const { client, server } = readyPair(options({ protocol: refuse }));
    expect(server.sendUntil({ n: 1 }, performance.now() + PATIENCE_MS)).toBe(true);
    const error = thrownBy(() =>
      waitFor(client.broker, 'the handshake to end', () => (client.stepHandshake(1) ? true : undefined)),
    );
    expect(error.code).toBe(ErrorCode.HANDSHAKE);
    expect(error.message).toMatch(/login refused/);
    expect(client.reason?.code).toBe(ErrorCode.HANDSHAKE);
  });
});
