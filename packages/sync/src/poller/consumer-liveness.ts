import { existsSync } from 'node:fs';
import type { SharedFrameInbox } from '@net/core';
import { consumerThread, noteConsumerThread } from '@net/core/internal';
import { kernelThreadId } from '../broker-worker-support.js';

// How often a polled connection looks whether its consumer's thread is still there, in ms: a
// `stat` each, off the data path.
const CONSUMER_CHECK_MS = 500;

/**
 * Records this thread as the consumer of `shared` (where the kernel's thread ids can be read), so
 * that a `PollerThread` filling it can tell when the thread is gone. For a flavour's
 * `InboxReceiver.attach`.
 */
export function noteThisConsumer(shared: SharedFrameInbox): void {
  noteConsumerThread(shared, kernelThreadId());
}

/**
 * Whether an inbox's consumer thread has ended without closing its side: a worker ended by
 * `terminate()` runs nothing more, and Deno reports that end on no port, so the poller looks at
 * the thread itself (`/proc/self/task/<id>`), at most every {@link CONSUMER_CHECK_MS}.
 */
export class ConsumerLiveness {
  private readonly _shared: SharedFrameInbox;
  private _nextCheck = 0;

  constructor(shared: SharedFrameInbox) {
    this._shared = shared;
  }

  /** True once the consumer's recorded thread is gone; `now` is `sharedClock()`. */
  gone(now: number): boolean {
    if (now < this._nextCheck) return false;
    this._nextCheck = now + CONSUMER_CHECK_MS;
    const thread = consumerThread(this._shared);
    return thread > 0 && !existsSync(`/proc/self/task/${String(thread)}`);
  }
}
