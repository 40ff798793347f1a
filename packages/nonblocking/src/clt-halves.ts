import type { ConId } from '@net/core';
import type { END_OF_STREAM, RecvResult, SendStatus } from '@net/core/sync';
import type { Clt } from './clt.js';

/**
 * Holders of one connection's halves. Any number of parts of a program may hold a half (`share()`
 * makes another holder); the connection closes when the last holder closes, never when one of many
 * lets go (links closed the connection when any clone was dropped). Frames never interleave: each
 * send writes its whole frame before it returns.
 */
class Holders {
  private _count = 0;

  constructor(private readonly _clt: Clt<unknown, unknown>) {}

  take(): void {
    this._count++;
  }

  release(): void {
    if (--this._count === 0) this._clt.close();
  }
}

/**
 * What both halves share: the client they stand for, one holder's place among the holders, and a
 * close that lets go of that place once.
 */
abstract class HeldHalf<Send, Recv> {
  private _open = true;

  constructor(
    protected readonly _clt: Clt<Send, Recv>,
    protected readonly _holders: Holders,
  ) {
    _holders.take();
  }

  /** The connection's id. */
  get conId(): ConId {
    return this._clt.conId;
  }

  /** Lets go of this half; the last holder of either half closes the connection. */
  close(): void {
    if (!this._open) return;
    this._open = false;
    this._holders.release();
  }
}

/** The sending half of a non-blocking {@link Clt}. */
export class CltSender<Send, Recv> extends HeldHalf<Send, Recv> {
  /** See `Clt.send`. */
  send(message: Send): SendStatus {
    return this._clt.send(message);
  }

  /** See `Clt.sendBusywaitTimeout`. */
  sendBusywaitTimeout(message: Send, timeoutMs: number): SendStatus {
    return this._clt.sendBusywaitTimeout(message, timeoutMs);
  }

  /** See `Clt.sendBusywait`. */
  sendBusywait(message: Send): 'completed' {
    return this._clt.sendBusywait(message);
  }

  /** See `Clt.sendMany`. */
  sendMany(messages: readonly Send[]): SendStatus {
    return this._clt.sendMany(messages);
  }

  /** See `Clt.sendManyBusywait`. */
  sendManyBusywait(messages: readonly Send[]): 'completed' {
    return this._clt.sendManyBusywait(messages);
  }

  /** Another holder of this half; the connection stays open until every holder has closed. */
  share(): CltSender<Send, Recv> {
    return new CltSender(this._clt, this._holders);
  }
}

/** The receiving half of a non-blocking {@link Clt}. */
export class CltReceiver<Send, Recv> extends HeldHalf<Send, Recv> {
  /** See `Clt.recv`. */
  recv(): RecvResult<Recv> {
    return this._clt.recv();
  }

  /** See `Clt.recvBusywaitTimeout`. */
  recvBusywaitTimeout(timeoutMs: number): RecvResult<Recv> {
    return this._clt.recvBusywaitTimeout(timeoutMs);
  }

  /** See `Clt.recvBusywait`. */
  recvBusywait(): Recv | typeof END_OF_STREAM {
    return this._clt.recvBusywait();
  }

  /** Another holder of this half. */
  share(): CltReceiver<Send, Recv> {
    return new CltReceiver(this._clt, this._holders);
  }
}

/** Splits `clt` into its two halves, each with one holder. */
export function splitClt<Send, Recv>(clt: Clt<Send, Recv>): { sender: CltSender<Send, Recv>; receiver: CltReceiver<Send, Recv> } {
  const holders = new Holders(clt as Clt<unknown, unknown>);
  return { sender: new CltSender(clt, holders), receiver: new CltReceiver(clt, holders) };
}
