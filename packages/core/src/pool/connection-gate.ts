import { checkIntegerOption } from '../options/check-integer-option.js';
import { DEFAULT_MAX_CONNECTIONS } from '../limits.js';

/** Largest `maxConnections` a {@link ConnectionGate} accepts (2^31 - 1). */
export const MAX_CONNECTIONS_LIMIT = 2_147_483_647;

/**
 * One admitted connection's place under a {@link ConnectionGate}. Give every part of the
 * connection (its sender and receiver halves, say) the same slot; whichever closes first calls
 * `release`, and the place is freed exactly once however many times it is called.
 */
export interface GateSlot {
  /** Frees the place; true on the call that freed it, false on every later call. */
  release(): boolean;
  /** True once {@link release} has been called. */
  readonly released: boolean;
}

/**
 * Enforces a service's `maxConnections` (links' `AcceptorConnectionGate`): the acceptor asks
 * {@link tryAcquire} before taking a connection and turns it away when there is no slot. Counts
 * admissions and refusals for monitoring.
 *
 * There is no locking: JavaScript runs one thread per realm, and a gate belongs to the one
 * service (and so the one thread) that accepts through it.
 */
export class ConnectionGate {
  /** The most connections admitted at once. */
  readonly max: number;
  private _current = 0;
  private _accepted = 0;
  private _rejected = 0;

  /** A gate admitting at most `maxConnections` (1 to {@link MAX_CONNECTIONS_LIMIT}, default 1024) at once. */
  constructor(maxConnections: number = DEFAULT_MAX_CONNECTIONS) {
    this.max = checkIntegerOption('maxConnections', maxConnections, 1, MAX_CONNECTIONS_LIMIT);
  }

  /** Connections admitted and not yet released. */
  get current(): number {
    return this._current;
  }

  /** Places still free. */
  get available(): number {
    return this.max - this._current;
  }

  /** True when {@link tryAcquire} would refuse. */
  get isFull(): boolean {
    return this._current >= this.max;
  }

  /** Admissions over the gate's life. */
  get acceptedCount(): number {
    return this._accepted;
  }

  /** Refusals over the gate's life. */
  get rejectedCount(): number {
    return this._rejected;
  }

  /** Takes a place: a slot to release when the connection ends, or `undefined` (counted) when full. */
  tryAcquire(): GateSlot | undefined {
    if (this._current >= this.max) {
      this._rejected++;
      return undefined;
    }
    this._current++;
    this._accepted++;
    return new Slot(this);
  }

  /** Frees one place; only a {@link GateSlot} calls this, once. @internal */
  _free(): void {
    this._current--;
  }
}

// Not exported, so the only way to get a slot is to acquire one: a user cannot forge one and
// release a place that was never taken.
class Slot implements GateSlot {
  private _gate: ConnectionGate | undefined;

  constructor(gate: ConnectionGate) {
    this._gate = gate;
  }

  get released(): boolean {
    return this._gate === undefined;
  }

  release(): boolean {
    const gate = this._gate;
    if (gate === undefined) return false;
    this._gate = undefined; // also drops the reference, so a long-lived slot does not pin the gate
    gate._free();
    return true;
  }
}
