import { type CallOptions, END_OF_STREAM, HeldHalf, type RecvResult, type SendStatus } from '@net/sync';
import { HalfHolders } from '@net/sync/internal';
import type { Clt } from './clt.js';

/** The sending half of a blocking {@link Clt}; `share()` makes another holder of it. */
export class CltSender<Send, Recv> extends HeldHalf<Clt<Send, Recv>> {
  /** See `Clt.send`. */
  send(message: Send, options?: CallOptions): void {
    this.client.send(message, options);
  }

  /** See `Clt.sendMany`. */
  sendMany(messages: readonly Send[], options?: CallOptions): void {
    this.client.sendMany(messages, options);
  }

  /** See `Clt.trySend`. */
  trySend(message: Send, options?: CallOptions): SendStatus {
    return this.client.trySend(message, options);
  }

  /** See `Clt.trySendMany`. */
  trySendMany(messages: readonly Send[], options?: CallOptions): SendStatus {
    return this.client.trySendMany(messages, options);
  }

  /** Another holder of this half; the connection stays open until every holder has closed. */
  share(): CltSender<Send, Recv> {
    return new CltSender(this.client, this._holders);
  }
}

/** The receiving half of a blocking {@link Clt}; `share()` makes another holder of it. */
export class CltReceiver<Send, Recv> extends HeldHalf<Clt<Send, Recv>> {
  /** See `Clt.recv`: the next message, parking until it arrives; `END_OF_STREAM` (`undefined`) at a clean end of stream. */
  recv(options?: CallOptions): Recv | typeof END_OF_STREAM {
    return this.client.recv(options);
  }

  /** See `Clt.tryRecv`. */
  tryRecv(options?: CallOptions): RecvResult<Recv> {
    return this.client.tryRecv(options);
  }

  /** Iterates messages until the connection ends. */
  *[Symbol.iterator](): Iterator<Recv> {
    for (let message = this.recv(); message !== END_OF_STREAM; message = this.recv()) yield message;
  }

  /** Another holder of this half. */
  share(): CltReceiver<Send, Recv> {
    return new CltReceiver(this.client, this._holders);
  }
}

/** Splits `clt` into its two halves, each with one holder. */
export function splitClt<Send, Recv>(
  clt: Clt<Send, Recv>,
): { sender: CltSender<Send, Recv>; receiver: CltReceiver<Send, Recv> } {
  const holders = new HalfHolders(clt);
  return { sender: new CltSender(clt, holders), receiver: new CltReceiver(clt, holders) };
}
