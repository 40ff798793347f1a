import { HeldHalf } from '@net/sync';
import { HalfHolders } from '@net/sync/internal';
import type { CallOptions, END_OF_STREAM, RecvResult, SendStatus } from '@net/sync';
import type { Clt } from './clt.js';

/** The sending half of a non-blocking {@link Clt}; `share()` makes another holder of it. */
export class CltSender<Send, Recv> extends HeldHalf<Clt<Send, Recv>> {
  /** See `Clt.send`. */
  send(message: Send, options?: CallOptions): SendStatus {
    return this.client.send(message, options);
  }

  /** See `Clt.sendMany`. */
  sendMany(messages: readonly Send[], options?: CallOptions): SendStatus {
    return this.client.sendMany(messages, options);
  }

  /** See `Clt.sendBusywaitTimeout`. */
  sendBusywaitTimeout(message: Send, timeoutMs: number): SendStatus {
    return this.client.sendBusywaitTimeout(message, timeoutMs);
  }

  /** See `Clt.sendBusywait`. */
  sendBusywait(message: Send): 'completed' {
    return this.client.sendBusywait(message);
  }

  /** See `Clt.sendManyBusywait`. */
  sendManyBusywait(messages: readonly Send[]): 'completed' {
    return this.client.sendManyBusywait(messages);
  }

  /** Another holder of this half; the connection stays open until every holder has closed. */
  share(): CltSender<Send, Recv> {
    return new CltSender(this.client, this._holders);
  }
}

/** The receiving half of a non-blocking {@link Clt}; `share()` makes another holder of it. */
export class CltReceiver<Send, Recv> extends HeldHalf<Clt<Send, Recv>> {
  /** See `Clt.recv`. */
  recv(options?: CallOptions): RecvResult<Recv> {
    return this.client.recv(options);
  }

  /** See `Clt.recvBusywaitTimeout`. */
  recvBusywaitTimeout(timeoutMs: number): RecvResult<Recv> {
    return this.client.recvBusywaitTimeout(timeoutMs);
  }

  /** See `Clt.recvBusywait`. */
  recvBusywait(): Recv | typeof END_OF_STREAM {
    return this.client.recvBusywait();
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
