import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { InboxConsumer } from './inbox-consumer.js';
import { allocateInbox, checkInboxSizes, H_STALLS, headerOf } from './inbox-layout.js';
import { InboxProducer } from './inbox-producer.js';

/** The sizes of a new {@link FrameInbox}; both are required, there is no default. */
export interface FrameInboxOptions {
  /**
   * Bytes of the shared data area the frames go round in: a power of two from 64 to 2^30. Each
   * frame takes 4 bytes more than its length, rounded up to a multiple of 4.
   */
  readonly capacity: number;
  /** The largest frame a write takes, in bytes: 0 to `capacity / 2 - 4`. */
  readonly maxFrameBytes: number;
}

/**
 * A {@link FrameInbox} as it crosses between threads: a plain object to post
 * (`worker.postMessage(inbox.share())`, or in `workerData`) and hand to {@link FrameInbox.attach}
 * on the other side. The memory is shared, not copied.
 */
export interface SharedFrameInbox {
  /** The inbox's memory: its header and its data area. */
  readonly buffer: SharedArrayBuffer;
  /** As in {@link FrameInboxOptions}. */
  readonly capacity: number;
  /** As in {@link FrameInboxOptions}. */
  readonly maxFrameBytes: number;
}

/** Which side of an inbox a thread attaches as. */
export type InboxRole = 'producer' | 'consumer';

/**
 * A bounded inbox of frames from one thread to another, over one SharedArrayBuffer: a
 * single-producer single-consumer ring of byte records. The producer copies each frame in whole
 * ({@link InboxProducer.tryWrite}: false when full, nothing dropped); the consumer reads them in
 * order, lent in place ({@link InboxConsumer}), by one attempt, by parking its thread or on its
 * event loop. Either side may close: the consumer reads to the end of what was written, then sees
 * `END_OF_STREAM`; the producer sees `NET_ERR_CLOSED`.
 *
 * Create it on any thread, post {@link share}'s description to the other, and attach each side
 * once, on the thread that uses it.
 *
 * @example
 * ```ts
 * const inbox = new FrameInbox({ capacity: 1 << 16, maxFrameBytes: 4096 });
 * const worker = new Worker(url, { workerData: inbox.share() });
 * const consumer = inbox.consumer(); // the worker calls FrameInbox.attach(workerData, 'producer')
 * for await (const frame of consumer) handle(frame.bytes, frame.offset, frame.length);
 * ```
 */
export class FrameInbox {
  private readonly _shared: SharedFrameInbox;
  private readonly _header: Int32Array;

  /**
   * Allocates the shared memory of a new, empty inbox.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` for sizes outside those of {@link FrameInboxOptions}
   */
  constructor(options: FrameInboxOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new NetError(ErrorCode.INVALID_ARGUMENT, 'FrameInbox takes { capacity, maxFrameBytes }');
    }
    const sizes = checkInboxSizes(options.capacity, options.maxFrameBytes);
    const buffer = allocateInbox(sizes);
    this._shared = Object.freeze({ buffer, capacity: sizes.capacity, maxFrameBytes: sizes.maxFrameBytes });
    this._header = headerOf(buffer, sizes);
  }

  /**
   * Attaches the calling thread as one side of a shared inbox.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` when `shared` is not what {@link share} returned,
   * `role` is neither side, or that side was attached before (on any thread)
   */
  static attach(shared: SharedFrameInbox, role: 'producer'): InboxProducer;
  static attach(shared: SharedFrameInbox, role: 'consumer'): InboxConsumer;
  static attach(shared: SharedFrameInbox, role: InboxRole): InboxProducer | InboxConsumer;
  static attach(shared: SharedFrameInbox, role: InboxRole): InboxProducer | InboxConsumer {
    if (typeof shared !== 'object' || shared === null) {
      throw new NetError(ErrorCode.INVALID_ARGUMENT, 'attach takes what FrameInbox.share() returned');
    }
    const sizes = { capacity: shared.capacity, maxFrameBytes: shared.maxFrameBytes };
    const header = headerOf(shared.buffer, sizes);
    if (role === 'producer') return new InboxProducer(shared.buffer, header, sizes);
    if (role === 'consumer') return new InboxConsumer(shared.buffer, header, sizes);
    throw new NetError(ErrorCode.INVALID_ARGUMENT, `role must be 'producer' or 'consumer', got ${String(role)}`, {
      details: { option: 'role', value: role },
    });
  }

  /** The description to post to the thread that attaches the other side (the memory is shared). */
  share(): SharedFrameInbox {
    return this._shared;
  }

  /** Attaches this thread as the producer: `FrameInbox.attach(this.share(), 'producer')`. */
  producer(): InboxProducer {
    return FrameInbox.attach(this._shared, 'producer');
  }

  /** Attaches this thread as the consumer: `FrameInbox.attach(this.share(), 'consumer')`. */
  consumer(): InboxConsumer {
    return FrameInbox.attach(this._shared, 'consumer');
  }

  /** As {@link InboxProducer.stalls}, readable from the thread that created the inbox. */
  get stalls(): number {
    return Atomics.load(this._header, H_STALLS) >>> 0;
  }

  /** The data area's size in bytes. */
  get capacity(): number {
    return this._shared.capacity;
  }

  /** The largest frame a write takes, in bytes. */
  get maxFrameBytes(): number {
    return this._shared.maxFrameBytes;
  }
}
