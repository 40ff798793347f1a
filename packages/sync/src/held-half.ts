import { type ConId, ErrorCode, NetError } from '@net/core';
import { connectionOf, type SyncCltBase } from './sync-clt-base.js';
import { type HalfSide, type HalfTransfer, transferHalf } from './transfer/half-transfer.js';

/** What a half needs of the client it stands for. */
export interface ClosableClient {
  readonly conId: ConId;
  close(): void;
}

/**
 * The holders of one connection's halves. Any number of parts of a program may hold a half
 * (`share()` makes another holder); the connection closes when the last holder closes, never when
 * one of many lets go, so a part that is done cannot cut off the others.
 */
export class HalfHolders {
  private _count = 0;

  /**
   * `letGo` runs when the last holder closes (default: closes the client); a connection that other
   * threads hold too lets go of this thread's part only.
   */
  constructor(
    private readonly _client: ClosableClient,
    private readonly _letGo?: () => void,
  ) {}

  /** Holders still open. */
  get count(): number {
    return this._count;
  }

  /** One more holder. */
  take(): void {
    this._count++;
  }

  /** One holder fewer; the last one closes the connection. */
  release(): void {
    if (--this._count !== 0) return;
    if (this._letGo === undefined) this._client.close();
    else this._letGo();
  }
}

/**
 * What every half of a synchronous client shares: the client it stands for, one place among the
 * holders, and a close that gives that place up once. Frames never interleave between holders:
 * each send writes its whole frame before it returns, and JavaScript runs one call at a time.
 */
export abstract class HeldHalf<Send, Recv, C extends SyncCltBase<Send, Recv>> {
  private _open = true;

  /** Takes a place among `holders` for `client`. */
  constructor(
    protected readonly _client: C,
    protected readonly _holders: HalfHolders,
  ) {
    _holders.take();
  }

  /** The connection's id. */
  get conId(): ConId {
    return this._client.conId;
  }

  /**
   * The client, for this holder's calls.
   * @throws NetError `NET_ERR_CLOSED` once this holder closed, even while other holders keep the
   * connection open: a holder that let go must not go on sending or taking messages
   */
  protected get client(): C {
    if (!this._open)
      throw new NetError(ErrorCode.CLOSED, `${String(this._client.conId)}: this half was closed by its holder`);
    return this._client;
  }

  /** True until this holder closed. */
  get isOpen(): boolean {
    return this._open;
  }

  /** Lets go of this half; the last holder of either half closes the connection. */
  close(): void {
    if (!this._open) return;
    this._open = false;
    this._holders.release();
  }

  /** Another holder of this half; the connection stays open until every holder has closed. */
  share(): this {
    // Every flavour's half takes the constructor of this class, so the subclass makes its own kind.
    const Half = this.constructor as new (client: C, holders: HalfHolders) => this;
    return new Half(this.client, this._holders);
  }

  /** Same as {@link close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * The flavours' `transfer()`: hands `side` of the connection to another thread and closes this
   * half here (every holder of it on this thread), while the connection stays open for the adopter.
   * @throws NetError `NET_ERR_CLOSED` when this half or the connection is closed
   */
  protected transferSide(side: HalfSide): HalfTransfer {
    const value = transferHalf(connectionOf(this.client), side);
    this.close();
    return value;
  }
}

/**
 * Holders for a client split on this thread: the last one to close lets go of this thread's part
 * of the connection (all of it unless a half went to another thread).
 */
export function holdersOf<Send, Recv>(clt: SyncCltBase<Send, Recv>): HalfHolders {
  return new HalfHolders(clt, () => connectionOf(clt).letGo());
}
