import type { Codec } from '../packages/core/dist/index.js';
import type { InboxConsumer } from '../packages/sync/dist/index.js';

/** Decodes a 4-byte frame into the number it holds; refuses any other length with `NET_ERR_DECODE`. */
export const idCodec: Codec<never, number>;

/** A producing worker and the consumer side of its inbox (see inbox-messages.mjs). */
export interface InboxProducerRun {
  readonly consumer: InboxConsumer;
  /** What the worker reports once it closed the inbox. */
  readonly report: Promise<{ written?: number; error?: string }>;
  /** Lets a gated worker start writing. */
  open(): void;
  /** Closes the consumer side and waits for the worker to end. */
  stop(): Promise<void>;
}

/** Starts a worker producing `count` ids into a new inbox this thread consumes. */
export function startInboxProducer(options: {
  count: number;
  badAfter?: readonly number[];
  gated?: boolean;
  capacity?: number;
}): InboxProducerRun;
