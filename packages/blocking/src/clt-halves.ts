import {
  type AdoptOptions,
  type CallOptions,
  END_OF_STREAM,
  type HalfTransfer,
  HeldHalf,
  type RecvResult,
  type SendStatus,
} from '@net/sync';
import { adoptClient, holdersOf, type ResolvedSyncOptions, type SyncConnection } from '@net/sync/internal';
import { Clt } from './clt.js';

/** The sending half of a blocking {@link Clt}; `share()` makes another holder of it. */
export class CltSender<Send, Recv> extends HeldHalf<Send, Recv, Clt<Send, Recv>> {
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

  /**
   * Hands this half to another thread of this process: post the value with
   * `worker.postMessage(value, value.transferList)` and adopt it there with `CltSender.adopt`.
   * This half is closed here (its calls fail with `NET_ERR_CLOSED`, on every holder of it on this
   * thread), but the connection stays open: the adopting thread holds it now.
   * @throws NetError `NET_ERR_CLOSED` when this half or the connection is closed
   */
  transfer(): HalfTransfer {
    return this.transferSide('sender');
  }

  /**
   * The half in `value` (what `transfer()` returned on another thread of this process), working on
   * this thread. Either synchronous flavour may adopt a half of either. The connection closes
   * when the last holder on any thread closes; `Clt.close()` on the giving thread ends it for all.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` (not a transfer value, the other half, another
   * process, the thread that gave it, adopted already), `NET_ERR_CLOSED` (the connection closed
   * meanwhile, or the broker thread that owns its socket stopped)
   */
  static adopt<Send, Recv>(value: unknown, options: AdoptOptions<Send, Recv>): CltSender<Send, Recv> {
    const { clt, holders } = adoptClient(value, 'sender', options, newClt<Send, Recv>);
    return new CltSender(clt, holders);
  }
}

/** The receiving half of a blocking {@link Clt}; `share()` makes another holder of it. */
export class CltReceiver<Send, Recv> extends HeldHalf<Send, Recv, Clt<Send, Recv>> {
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

  /**
   * Hands this half to another thread of this process: post the value with
   * `worker.postMessage(value, value.transferList)` and adopt it there with `CltReceiver.adopt`.
   * This half is closed here (its calls fail with `NET_ERR_CLOSED`, on every holder of it on this
   * thread), but the connection stays open: the adopting thread holds it now. Bytes already received and not yet taken go with it.
   * @throws NetError `NET_ERR_CLOSED` when this half or the connection is closed
   */
  transfer(): HalfTransfer {
    return this.transferSide('receiver');
  }

  /**
   * The half in `value` (what `transfer()` returned on another thread of this process), working on
   * this thread. Either synchronous flavour may adopt a half of either. The connection closes
   * when the last holder on any thread closes; `Clt.close()` on the giving thread ends it for all.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` (not a transfer value, the other half, another
   * process, the thread that gave it, adopted already), `NET_ERR_CLOSED` (the connection closed
   * meanwhile, or the broker thread that owns its socket stopped)
   */
  static adopt<Send, Recv>(value: unknown, options: AdoptOptions<Send, Recv>): CltReceiver<Send, Recv> {
    const { clt, holders } = adoptClient(value, 'receiver', options, newClt<Send, Recv>);
    return new CltReceiver(clt, holders);
  }
}

/** Splits `clt` into its two halves, each with one holder. */
export function splitClt<Send, Recv>(
  clt: Clt<Send, Recv>,
): { sender: CltSender<Send, Recv>; receiver: CltReceiver<Send, Recv> } {
  const holders = holdersOf(clt);
  return { sender: new CltSender(clt, holders), receiver: new CltReceiver(clt, holders) };
}

function newClt<Send, Recv>(connection: SyncConnection<Send, Recv>, resolved: ResolvedSyncOptions): Clt<Send, Recv> {
  return new Clt(connection, resolved);
}
