import type { ConId } from '../connection/con-id.js';
import type { Callbacks } from './callbacks.js';
import type { MessageStore, StoreDirection } from './message-store.js';

/**
 * Turns a sent or received message into the store's canonical type `T`, so that a client and a
 * service with different message types can record into one {@link MessageStore}.
 */
export type IntoCanonical<Send, Recv, T> = (message: Send | Recv, direction: StoreDirection) => T;

/** Options of a {@link StoreCallback}. */
export interface StoreCallbackOptions<Send, Recv, T> {
  /** Converts each message before it is stored; needed unless `Send` and `Recv` are already `T`. */
  readonly into?: IntoCanonical<Send, Recv, T>;
}

/**
 * The arguments after the store: `into` may be left out only when every message already is a `T`,
 * so forgetting the conversion is a compile error rather than a store of the wrong type.
 */
type StoreCallbackRest<Send, Recv, T> = [Send | Recv] extends [T]
  ? [options?: StoreCallbackOptions<Send, Recv, T>]
  : [options: StoreCallbackOptions<Send, Recv, T> & { readonly into: IntoCanonical<Send, Recv, T> }];

/**
 * Records every received and sent message into a {@link MessageStore}, converted by `into` when
 * given. Connection events are not recorded: a store holds messages only, so every entry has a
 * message and predicates never meet an entry without one. Chain it with a `CounterCallback` or a
 * `LoggerCallback` to observe connection events.
 *
 * The store's type comes first because it is the one always known: `new StoreCallback(store)`
 * is a callback for messages of the store's type, and passing it where a `Callbacks<Send, Recv>`
 * is expected infers `Send` and `Recv` from there.
 */
export class StoreCallback<T = unknown, Send = T, Recv = T> implements Callbacks<Send, Recv> {
  /** The store messages are recorded into. */
  readonly store: MessageStore<T>;
  private readonly _into: IntoCanonical<Send, Recv, T> | undefined;

  constructor(store: MessageStore<T>, ...[options]: StoreCallbackRest<Send, Recv, T>) {
    this.store = store;
    this._into = options?.into;
  }

  /** Stores the received message. */
  onRecv(conId: ConId, message: Recv): void {
    // Without `into`, the constructor's signature has already proved that Recv is a T.
    this.store.push(conId, 'recv', this._into === undefined ? (message as unknown as T) : this._into(message, 'recv'));
  }

  /** Stores the sent message. */
  onSent(conId: ConId, message: Send): void {
    this.store.push(conId, 'sent', this._into === undefined ? (message as unknown as T) : this._into(message, 'sent'));
  }

  /** `StoreCallback<size: n, capacity: c>`. */
  toString(): string {
    return `StoreCallback<size: ${this.store.size}, capacity: ${this.store.capacity}>`;
  }
}
