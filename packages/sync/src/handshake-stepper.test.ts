import { describe, expect, it } from 'vitest';
import { ErrorCode, NetError } from '@net/core';
import type { DriverState } from '@net/core/internal';
import { type HandshakingConnection, HandshakeStepper } from './handshake-stepper.js';
import { END_OF_STREAM, type RecvResult, WOULD_BLOCK } from './status.js';
import { thrownBy } from './test-support/thrown-by.js';

/**
 * A connection whose receives follow `script`, one entry a receive: the result, or what the
 * driver does with what was read (moves to another state, or throws). Past the script: would-block.
 */
function scriptedConnection(script: (() => RecvResult<string>)[]) {
  const connection: HandshakingConnection<string> & {
    driver: { state: DriverState };
    isOpen: boolean;
    reason: NetError | undefined;
    unreads: string[];
    unreadErrors: NetError[];
    closes: NetError[];
    watchArgs: number[];
  } = {
    conId: 'fake',
    driver: { state: 'handshaking' },
    isOpen: true,
    reason: undefined,
    unreads: [],
    unreadErrors: [],
    closes: [],
    watchArgs: [],
    recvOnce(watchAfterIdlePolls) {
      connection.watchArgs.push(watchAfterIdlePolls);
      return (script.shift() ?? (() => WOULD_BLOCK))();
    },
    unread(message) {
      connection.unreads.push(message);
    },
    unreadError(error) {
      connection.unreadErrors.push(error);
    },
    close(reason) {
      connection.closes.push(reason);
      if (!connection.isOpen) return;
      connection.isOpen = false;
      connection.reason ??= reason;
      connection.driver.state = 'closed';
    },
  };
  return connection;
}

describe('HandshakeStepper', () => {
  it('goes on while nothing has arrived, without waiting, and passes on when to start a watch', () => {
    const connection = scriptedConnection([]);
    const stepper = new HandshakeStepper(connection);
    expect(stepper.step(1)).toBe(false);
    expect(stepper.step(7)).toBe(false);
    expect(connection.watchArgs).toEqual([1, 7]);
    expect(connection.closes).toEqual([]);
  });

  it('takes in everything that has arrived in one step and is done once the driver is ready', () => {
    const connection = scriptedConnection([
      () => WOULD_BLOCK,
      () => {
        connection.driver.state = 'ready';
        return WOULD_BLOCK;
      },
    ]);
    const stepper = new HandshakeStepper(connection);
    expect(stepper.step(Infinity)).toBe(false);
    expect(stepper.step(Infinity)).toBe(true);
    expect(connection.unreads).toEqual([]);
  });

  it("gives back a user's message that came in the same read as the handshake's last", () => {
    const connection = scriptedConnection([
      () => {
        connection.driver.state = 'ready';
        return 'first user message';
      },
    ]);
    expect(new HandshakeStepper(connection).step(Infinity)).toBe(true);
    expect(connection.unreads).toEqual(['first user message']);
  });

  it("keeps a decode error met right after the handshake's last message for the next receive, and succeeds", () => {
    const garbage = new NetError(ErrorCode.DECODE, 'cannot decode frame');
    const connection = scriptedConnection([
      () => {
        // The last handshake message made the driver ready; the frame behind it did not decode.
        connection.driver.state = 'ready';
        throw garbage;
      },
    ]);
    expect(new HandshakeStepper(connection).step(Infinity)).toBe(true);
    expect(connection.unreadErrors).toEqual([garbage]);
    expect(connection.unreads).toEqual([]);
    expect(connection.closes).toEqual([]);
  });

  it('fails the handshake for a decode error met before it completed', () => {
    const garbage = new NetError(ErrorCode.DECODE, 'cannot decode frame');
    const connection = scriptedConnection([
      () => {
        throw garbage;
      },
    ]);
    const error = thrownBy(() => new HandshakeStepper(connection).step(Infinity));
    expect(error).toMatchObject({ code: ErrorCode.HANDSHAKE, cause: garbage });
    expect(connection.unreadErrors).toEqual([]);
    expect(connection.isOpen).toBe(false);
  });

  it('settle, for a caller that received its own way, keeps what came after the end of the handshake', () => {
    const connection = scriptedConnection([]);
    const stepper = new HandshakeStepper(connection);
    expect(stepper.settle(undefined, undefined)).toBe(false);
    connection.driver.state = 'ready';
    expect(stepper.settle('first', undefined)).toBe(true);
    const garbage = new NetError(ErrorCode.DECODE, 'cannot decode frame');
    expect(stepper.settle(undefined, garbage)).toBe(true);
    expect(connection.unreads).toEqual(['first']);
    expect(connection.unreadErrors).toEqual([garbage]);
  });

  it('fails with NET_ERR_HANDSHAKE "(peer closed)" and closes the connection when the peer ends the stream', () => {
    const connection = scriptedConnection([
      () => {
        connection.isOpen = false;
        connection.driver.state = 'closed';
        return END_OF_STREAM;
      },
    ]);
    const error = thrownBy(() => new HandshakeStepper(connection).step(Infinity));
    expect(error.code).toBe(ErrorCode.HANDSHAKE);
    expect(error.message).toBe('fake: handshake failed (peer closed)');
    expect(error.cause).toBeUndefined();
  });

  it('wraps what a receive threw in NET_ERR_HANDSHAKE, and closes the connection with it', () => {
    const reset = new NetError(ErrorCode.PEER_RESET, 'read: the peer reset the connection');
    const connection = scriptedConnection([
      () => {
        throw reset;
      },
    ]);
    const error = thrownBy(() => new HandshakeStepper(connection).step(Infinity));
    expect(error.code).toBe(ErrorCode.HANDSHAKE);
    expect(error.message).toBe(`fake: handshake failed: ${reset.message}`);
    expect(error.cause).toBe(reset);
    expect(connection.closes).toHaveLength(1);
    expect(connection.closes[0]).toMatchObject({ code: ErrorCode.HANDSHAKE, cause: reset });
    expect(connection.isOpen).toBe(false);
  });

  it("returns the protocol's own NET_ERR_HANDSHAKE as it is (a deadline, a refused login)", () => {
    const refused = new NetError(ErrorCode.HANDSHAKE, 'login refused');
    const connection = scriptedConnection([
      () => {
        // The driver failed the handshake; the connection keeps why.
        connection.driver.state = 'failed';
        connection.reason = refused;
        return WOULD_BLOCK;
      },
    ]);
    expect(thrownBy(() => new HandshakeStepper(connection).step(Infinity))).toBe(refused);
    expect(connection.closes).toHaveLength(1);
  });

  it('fails a handshake that completed on a connection that closed meanwhile', () => {
    const connection = scriptedConnection([
      () => {
        connection.driver.state = 'ready';
        connection.isOpen = false;
        return WOULD_BLOCK;
      },
    ]);
    expect(thrownBy(() => new HandshakeStepper(connection).step(Infinity)).code).toBe(ErrorCode.HANDSHAKE);
  });

  it('fail, called by a caller that waited its own way, closes the connection and says why', () => {
    const connection = scriptedConnection([]);
    const timeout = new NetError(ErrorCode.TIMEOUT, 'nothing within 10 ms');
    const error = new HandshakeStepper(connection).fail(timeout);
    expect(error).toMatchObject({
      code: ErrorCode.HANDSHAKE,
      message: `fake: handshake failed: ${timeout.message}`,
      cause: timeout,
    });
    expect(connection.isOpen).toBe(false);
    expect(connection.reason?.code).toBe(ErrorCode.HANDSHAKE);
  });
});
