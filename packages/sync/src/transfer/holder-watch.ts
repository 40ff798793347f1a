import { existsSync } from 'node:fs';
import { holderThread, ticketReleased } from './holder-ticket.js';

// How often the giving thread looks whether the threads that adopted its halves are still there,
// in ms (a `stat` per adopted half still held, on the event loop).
const HOLDER_CHECK_MS = 500;

interface Watched {
  readonly ticket: SharedArrayBuffer;
  readonly gone: () => void;
}

const watched = new Set<Watched>();
let timer: ReturnType<typeof setInterval> | undefined;

/**
 * Calls `gone` once the thread that adopted the half of `ticket` has ended while still holding it
 * (its thread, recorded on the ticket, no longer exists), and forgets the ticket once its hold was
 * given up some other way. The adopter's port reports such an end on Node; Deno reports it on no
 * port, so this looks at the thread itself (Linux `/proc`), from this thread's event loop as the
 * port's `close` event would be. `gone` must give the hold up at most once (`releaseHolder`).
 */
export function watchHolder(ticket: SharedArrayBuffer, gone: () => void): void {
  watched.add({ ticket, gone });
  if (timer !== undefined) return;
  timer = setInterval(check, HOLDER_CHECK_MS);
  // Like the port it stands beside, it never keeps the process alive by itself.
  timer.unref();
}

function check(): void {
  for (const entry of watched) {
    if (ticketReleased(entry.ticket)) {
      watched.delete(entry);
      continue;
    }
    const thread = holderThread(entry.ticket);
    if (thread <= 0 || existsSync(`/proc/self/task/${String(thread)}`)) continue;
    watched.delete(entry);
    entry.gone();
  }
  if (watched.size === 0 && timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
  }
}
