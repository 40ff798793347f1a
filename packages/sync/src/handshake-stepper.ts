import { ErrorCode, NetError } from '@net/core';
import type { DriverState } from '@net/core/internal';
import { END_OF_STREAM, type RecvResult, WOULD_BLOCK } from './status.js';

/** What a {@link HandshakeStepper} uses of its connection. */
export interface HandshakingConnection<Recv> {
  /** The connection's id, for error messages. */
  readonly conId: { toString(): string };
  /** The protocol's side of the connection, which runs the handshake on every message received. */
  readonly driver: { readonly state: DriverState };
  /** True until the connection is closed. */
  readonly isOpen: boolean;
  /** Why the connection closed, if it closed with an error (a failed handshake keeps its own). */
  readonly reason: NetError | undefined;
  /** One receive attempt, which hands every message to the driver first. */
  recvOnce(watchAfterIdlePolls: number): RecvResult<Recv>;
  /** Gives a received message back, for the next receive to return first. */
  unread(message: Recv): void;
  /** Gives a receive's decode error back, for the next receive to throw first. */
  unreadError(error: NetError): void;
  /** Ends the connection with `reason`. */
  close(reason: NetError): void;
}

/**
 * Drives a connection's protocol handshake forward one step at a time, never waiting: each step
 * takes in what has arrived, and the protocol (through the connection's driver) consumes the
 * handshake's messages. A thread that serves many handshakes at once steps each in turn, so one
 * slow or silent peer holds up none of the others; its handshake deadline ends it.
 *
 * It also turns a handshake that did not succeed into the one error a caller gets:
 * `NET_ERR_HANDSHAKE`, with what ended it as the cause; but a protocol hook other than the
 * handshake's own that threw is its `NET_ERR_PROTOCOL`, as at any other time.
 */
export class HandshakeStepper<Recv> {
  private readonly _connection: HandshakingConnection<Recv>;

  constructor(connection: HandshakingConnection<Recv>) {
    this._connection = connection;
  }

  /**
   * Moves the handshake forward by what has arrived, without waiting: true once it succeeded,
   * false while it goes on. `watchAfterIdlePolls` as in the connection's `recvOnce`.
   * @throws NetError `NET_ERR_HANDSHAKE` when it failed, `NET_ERR_PROTOCOL` when a hook other than
   * the handshake's threw (the connection is closed then)
   */
  step(watchAfterIdlePolls: number): boolean {
    const connection = this._connection;
    let early: Recv | undefined;
    let failure: NetError | undefined;
    try {
      while (connection.driver.state === 'handshaking') {
        const result = connection.recvOnce(watchAfterIdlePolls);
        if (result === WOULD_BLOCK || result === END_OF_STREAM) break;
        // The driver consumes every handshake message, so a message returned here came after
        // the handshake completed, in the same read (and the loop ends).
        early = result;
      }
    } catch (error) {
      failure = error as NetError;
    }
    return this.settle(early, failure);
  }

  /**
   * Ends one go at the handshake, for a caller that took in what arrived its own way: `early` is
   * the message its receive returned, `failure` what it threw. True once the handshake succeeded,
   * false while it goes on. What came in the same read after the handshake's last message, a
   * message or a decode error, is the user's: the next receive returns or throws it first.
   * @throws NetError `NET_ERR_HANDSHAKE` when it failed (the connection is closed then)
   */
  settle(early: Recv | undefined, failure: NetError | undefined): boolean {
    const connection = this._connection;
    const state = connection.driver.state;
    if (state === 'ready' && connection.isOpen) {
      // A receive that threw after the driver became ready, leaving the connection open, met a
      // frame behind the handshake's last message that did not decode (any other error closes
      // it): reported by the next receive, as if it had come in a later read.
      if (failure !== undefined) connection.unreadError(failure);
      else if (early !== undefined) connection.unread(early);
      return true;
    }
    if (state === 'handshaking' && connection.isOpen && failure === undefined) return false;
    throw this.fail(failure);
  }

  /**
   * Closes a connection whose handshake did not succeed and returns the error to throw: the
   * handshake's own `NET_ERR_HANDSHAKE`, or one that wraps what ended it (`failure`, or the reason
   * the connection closed; none means the peer closed it).
   */
  fail(failure?: NetError): NetError {
    const connection = this._connection;
    const id = String(connection.conId);
    const reason = failure ?? connection.reason;
    // A protocol hook that is not a handshake step threw: its `NET_ERR_PROTOCOL` names the hook and
    // keeps what it threw, so it is the error, as it is after the handshake.
    if (reason?.code === ErrorCode.PROTOCOL) {
      connection.close(reason);
      return reason;
    }
    connection.close(new NetError(ErrorCode.HANDSHAKE, `${id}: handshake failed`, { cause: reason }));
    if (reason?.code === ErrorCode.HANDSHAKE) return reason;
    return new NetError(
      ErrorCode.HANDSHAKE,
      `${id}: handshake failed${reason === undefined ? ' (peer closed)' : `: ${reason.message}`}`,
      { cause: reason },
    );
  }
}
