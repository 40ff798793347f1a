import type { ConId } from '@net/core';
import type { Clt } from './clt.js';
import type { RecvOptions } from './message-inbox.js';

/**
 * The sending half of a {@link Clt}: for the part of a program that only writes. Closing it
 * closes the connection gracefully.
 */
export class CltSender<Send, Recv> {
  private readonly _clt: Clt<Send, Recv>;

  constructor(clt: Clt<Send, Recv>) {
    this._clt = clt;
  }

  /** The connection's id. */
  get conId(): ConId {
    return this._clt.conId;
  }

  /** See {@link Clt.send}. */
  send(message: Send): boolean {
    return this._clt.send(message);
  }

  /** See {@link Clt.flush}. */
  flush(): void {
    this._clt.flush();
  }

  /** See {@link Clt.drained}. */
  drained(): Promise<void> {
    return this._clt.drained();
  }

  /** Closes the connection gracefully. */
  close(): Promise<void> {
    return this._clt.close();
  }
}

/** The receiving half of a {@link Clt}: for the part of a program that only reads. */
export class CltReceiver<Send, Recv> implements AsyncIterable<Recv> {
  private readonly _clt: Clt<Send, Recv>;

  constructor(clt: Clt<Send, Recv>) {
    this._clt = clt;
  }

  /** The connection's id. */
  get conId(): ConId {
    return this._clt.conId;
  }

  /** See {@link Clt.recv}. */
  recv(options?: RecvOptions): Promise<Recv | undefined> {
    return this._clt.recv(options);
  }

  /** Iterates the messages until the connection ends. */
  [Symbol.asyncIterator](): AsyncIterator<Recv> {
    return this._clt[Symbol.asyncIterator]();
  }
}
