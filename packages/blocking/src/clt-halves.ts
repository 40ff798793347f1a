import { HalfHolders, HeldHalf } from '@net/sync';
import type { Clt } from './clt.js';
import type { BlockingCallOptions } from './wait.js';

/** The sending half of a blocking {@link Clt}; `share()` makes another holder of it. */
export class CltSender<Send, Recv> extends HeldHalf<Clt<Send, Recv>> {
  /** See `Clt.send`. */
  send(message: Send, options?: BlockingCallOptions): void {
    this.client.send(message, options);
  }

  /** See `Clt.sendMany`. */
  sendMany(messages: readonly Send[], options?: BlockingCallOptions): void {
    this.client.sendMany(messages, options);
  }

  /** Another holder of this half; the connection stays open until every holder has closed. */
  share(): CltSender<Send, Recv> {
    return new CltSender(this.client, this._holders);
  }
}

/** The receiving half of a blocking {@link Clt}; `share()` makes another holder of it. */
export class CltReceiver<Send, Recv> extends HeldHalf<Clt<Send, Recv>> {
  /** See `Clt.recv`: the next message, parking until it arrives; `undefined` at a clean end of stream. */
  recv(options?: BlockingCallOptions): Recv | undefined {
    return this.client.recv(options);
  }

  /** Iterates messages until the connection ends. */
  *[Symbol.iterator](): Iterator<Recv> {
    for (let message = this.recv(); message !== undefined; message = this.recv()) yield message;
  }

  /** Another holder of this half. */
  share(): CltReceiver<Send, Recv> {
    return new CltReceiver(this.client, this._holders);
  }
}

/** Splits `clt` into its two halves, each with one holder. */
export function splitClt<Send, Recv>(clt: Clt<Send, Recv>): { sender: CltSender<Send, Recv>; receiver: CltReceiver<Send, Recv> } {
  const holders = new HalfHolders(clt);
  return { sender: new CltSender(clt, holders), receiver: new CltReceiver(clt, holders) };
}
