import type { SyncCltBase } from './sync-clt-base.js';
import type { SyncConnection } from './sync-connection.js';
import type { ResolvedSyncOptions } from './sync-options.js';
import { type HalfHolders, HeldHalf, holdersOf } from './held-half.js';
import { adoptHalf, type AdoptOptions, type HalfSide, type HalfTransfer } from './transfer/half-transfer.js';

/**
 * What the sending half of a synchronous client does the same in both flavours; a flavour adds its
 * sends (which park or return a status).
 */
export abstract class SenderHalf<Send, Recv, C extends SyncCltBase<Send, Recv>> extends HeldHalf<Send, Recv, C> {
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
}

/**
 * What the receiving half of a synchronous client does the same in both flavours; a flavour adds
 * its receives (which park or return a status).
 */
export abstract class ReceiverHalf<Send, Recv, C extends SyncCltBase<Send, Recv>> extends HeldHalf<Send, Recv, C> {
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
}

/** A flavour's half class, made over a client and its holders. */
export type HalfClass<C, H> = new (client: C, holders: HalfHolders) => H;

/** A flavour's client class, made over a connection. */
export type CltClass<Send, Recv, C> = new (connection: SyncConnection<Send, Recv>, resolved: ResolvedSyncOptions) => C;

/**
 * The flavours' `adopt`: a `Half` over a new `Clt` for the connection `side` in `value` carries,
 * with holders of its own (see `adoptHalf` for what is refused).
 */
export function adoptHalfAs<Send, Recv, C extends SyncCltBase<Send, Recv>, H>(
  Half: HalfClass<C, H>,
  Clt: CltClass<Send, Recv, C>,
  value: unknown,
  side: HalfSide,
  options: AdoptOptions<Send, Recv>,
): H {
  const { connection, resolved } = adoptHalf(value, side, options);
  const clt = new Clt(connection, resolved);
  return new Half(clt, holdersOf(clt));
}

/** The flavours' `split`: `clt`'s two halves, each with one holder, sharing one set of holders. */
export function splitInto<Send, Recv, C extends SyncCltBase<Send, Recv>, S, R>(
  clt: C,
  Sender: HalfClass<C, S>,
  Receiver: HalfClass<C, R>,
): { sender: S; receiver: R } {
  const holders = holdersOf(clt);
  return { sender: new Sender(clt, holders), receiver: new Receiver(clt, holders) };
}
