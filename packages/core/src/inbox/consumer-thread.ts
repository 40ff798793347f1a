import type { SharedFrameInbox } from './frame-inbox.js';
import { H_CONSUMER_THREAD } from './inbox-layout.js';

/**
 * Records which kernel thread consumes `shared` (`id` > 0), for a producer that watches whether
 * that thread is still there: a worker ended by `terminate()` closes nothing, and only some
 * runtimes report its end on a port. Core cannot read the id itself (it needs the file system);
 * the synchronous flavours do, as they attach a consumer.
 */
export function noteConsumerThread(shared: SharedFrameInbox, id: number): void {
  if (id > 0) Atomics.store(new Int32Array(shared.buffer), H_CONSUMER_THREAD, id);
}

/** The kernel thread id {@link noteConsumerThread} recorded for `shared`'s consumer; 0 when none was. */
export function consumerThread(shared: SharedFrameInbox): number {
  return Atomics.load(new Int32Array(shared.buffer), H_CONSUMER_THREAD);
}
