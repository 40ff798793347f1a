import { SharedHold } from './shared-hold.js';

/** Index of the word set once the value was adopted (a second adoption is refused). */
const CLAIMED = 0;
/** Index of the word set once the adopting thread's hold was given up, by it or for it. */
const RELEASED = 1;
/**
 * Index of the adopting thread's kernel thread id (0 until adopted, or where it cannot be read):
 * whoever watches the adopter can see its thread gone where no port reports it (Deno).
 */
const THREAD = 2;
/** Length of a ticket, in 32-bit words. */
const LENGTH = 3;

/**
 * One transfer's ticket, in a `SharedArrayBuffer` that travels in the transfer value: whether it
 * was adopted, and whether the hold taken for the adopter was given up. The adopter gives it up
 * when it lets go; whoever watches the adopter's thread gives it up if that thread exits first.
 * Either way exactly once.
 */
export function newTicket(): SharedArrayBuffer {
  return new SharedArrayBuffer(LENGTH * Int32Array.BYTES_PER_ELEMENT);
}

/** True when `value` is a buffer made by {@link newTicket}. */
export function isTicket(value: unknown): value is SharedArrayBuffer {
  return value instanceof SharedArrayBuffer && value.byteLength === LENGTH * Int32Array.BYTES_PER_ELEMENT;
}

/** Claims the ticket for an adoption: true for the first claim only. */
export function claimTicket(ticket: SharedArrayBuffer): boolean {
  return Atomics.compareExchange(new Int32Array(ticket), CLAIMED, 0, 1) === 0;
}

/**
 * Gives up the hold the ticket stands for, once: true when that was the last hold of the
 * descriptor (the caller closes it), false when others still hold it or it was given up already.
 */
export function releaseHolder(ticket: SharedArrayBuffer, state: SharedArrayBuffer): boolean {
  if (Atomics.compareExchange(new Int32Array(ticket), RELEASED, 0, 1) !== 0) return false;
  return new SharedHold(state).release();
}

/** Records the adopting thread's kernel id (`id` > 0) on the ticket, for `holder-watch.ts`. */
export function noteHolderThread(ticket: SharedArrayBuffer, id: number): void {
  if (id > 0) Atomics.store(new Int32Array(ticket), THREAD, id);
}

/** The adopting thread's kernel id on the ticket; 0 when not known (yet). */
export function holderThread(ticket: SharedArrayBuffer): number {
  return Atomics.load(new Int32Array(ticket), THREAD);
}

/** True once the hold the ticket stands for was given up. */
export function ticketReleased(ticket: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(ticket), RELEASED) !== 0;
}
