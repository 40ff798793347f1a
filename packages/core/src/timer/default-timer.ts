import { Timer } from './timer.js';

let sharedTimer: Timer | undefined;

/**
 * The thread's shared timer, created on first use. A module-level variable is per thread in Node
 * (each worker loads its own copy of the module), which is exactly the scope wanted: one timer per
 * thread, however many connections. It starts detached: the async flavour calls
 * `attachToEventLoop()` on it, the synchronous flavours `poll()` it from their wait loops.
 */
export function defaultTimer(): Timer {
  return (sharedTimer ??= new Timer());
}
