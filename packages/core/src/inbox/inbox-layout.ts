import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { checkIntegerOption } from '../options/check-integer-option.js';

/**
 * The memory of a frame inbox: one SharedArrayBuffer holding a header of Int32 words and, after
 * it, a data area of `capacity` bytes that records go round.
 *
 * A record is a 4-byte length (host byte order: both threads share the machine) and the frame's
 * bytes, padded to a multiple of 4 so that every length word is aligned and never straddles the
 * end. A record that does not fit before the end is preceded by a wrap marker (length -1) and
 * written from the start instead, so every frame is contiguous and the consumer can lend it in
 * place. The cursors count bytes written and read since the start, modulo 2^32; a capacity that is
 * a power of two keeps `cursor & (capacity - 1)` right across that wrap.
 */

/** Marks where the producer skipped the rest of the data area. */
export const WRAP_MARKER = -1;
/** Bytes of the length word in front of every record. */
export const LENGTH_BYTES = 4;
const MAGIC = 0x4e_45_54_31;

// Header words. The producer's cursor and the consumer's sit 64 bytes apart (cache lines), each
// with the flag its owner sets before it parks, so the two threads do not write the same line on
// every record.
/** A fixed number that tells an inbox memory from any other SharedArrayBuffer. */
export const H_MAGIC = 0;
/** The data area's size, as created. */
export const H_CAPACITY = 1;
/** The largest frame, as created. */
export const H_MAX_FRAME = 2;
/** Bit {@link PRODUCER} or {@link CONSUMER} set once that role is attached. */
export const H_ROLES = 3;
/** Bit {@link PRODUCER} or {@link CONSUMER} set once that side closed. */
export const H_CLOSED = 4;
/** How many times the producer found the inbox full after its last write had gone in. */
export const H_STALLS = 5;
/** Bytes of the failure text a producer left with `fail()` (0: none); see `inbox-failure.ts`. */
export const H_FAILURE = 6;
/**
 * The consumer's thread as the kernel numbers it, stored by a flavour that can read it (0: not
 * known): a producer on another thread can tell a consumer whose thread ended without closing
 * (a terminated worker) by that thread being gone. See `consumer-thread.ts`.
 */
export const H_CONSUMER_THREAD = 7;
/** The producer's cursor: bytes written since the start, modulo 2^32. */
export const H_WRITE = 16;
/**
 * 1 while the consumer parks (or awaits) on this very word: a write, or a close from either side,
 * that finds it 1 sets it to 0 and notifies it. Waiting on a flag of its own rather than on the
 * cursor lets a close wake the waiter too, which leaves the cursor as it was.
 */
export const H_CONSUMER_WAITING = 17;
/** The consumer's cursor: bytes handed back since the start, modulo 2^32. */
export const H_READ = 32;
/** 1 while the producer parks on this very word, as {@link H_CONSUMER_WAITING}; a read or a close wakes it. */
export const H_PRODUCER_WAITING = 33;
/** Where the failure text starts, in bytes: after the header's words. */
export const FAILURE_AT = 48 * Int32Array.BYTES_PER_ELEMENT;
/** Room for the failure text, in bytes (a longer one is cut). */
export const FAILURE_BYTES = 256;
/** Bytes before the data area (a multiple of 8). */
export const HEADER_BYTES = FAILURE_AT + FAILURE_BYTES;

/** The bit of the producer's side in {@link H_ROLES} and {@link H_CLOSED}. */
export const PRODUCER = 1;
/** The bit of the consumer's side in {@link H_ROLES} and {@link H_CLOSED}. */
export const CONSUMER = 2;

/** The smallest data area, in bytes. */
export const MIN_INBOX_CAPACITY = 64;
/** The largest data area, in bytes (1 GiB). */
export const MAX_INBOX_CAPACITY = 2 ** 30;

/** The bytes one record of `length` frame bytes takes in the data area. */
export function recordBytes(length: number): number {
  return (LENGTH_BYTES + length + 3) & ~3;
}

/**
 * The largest frame an inbox of `capacity` bytes carries. A record may take half the data area:
 * an empty inbox then always has room for it on one side of its cursor or the other, so a write
 * that waits long enough always goes in (a larger record could wait forever on an empty inbox).
 */
export function largestFrameFor(capacity: number): number {
  return capacity / 2 - LENGTH_BYTES;
}

/** The sizes of an inbox, as given to its constructor and carried in its shared description. */
export interface InboxSizes {
  readonly capacity: number;
  readonly maxFrameBytes: number;
}

/**
 * Validates the sizes of a new inbox.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a capacity that is not a power of two from
 * {@link MIN_INBOX_CAPACITY} to {@link MAX_INBOX_CAPACITY}, or a `maxFrameBytes` outside
 * 0 .. capacity / 2 - 4
 */
export function checkInboxSizes(capacity: number, maxFrameBytes: number): InboxSizes {
  checkIntegerOption('capacity', capacity, MIN_INBOX_CAPACITY, MAX_INBOX_CAPACITY);
  if ((capacity & (capacity - 1)) !== 0) {
    throw new NetError(ErrorCode.INVALID_ARGUMENT, `capacity must be a power of two, got ${capacity}`, {
      details: { option: 'capacity', value: capacity },
    });
  }
  checkIntegerOption('maxFrameBytes', maxFrameBytes, 0, largestFrameFor(capacity));
  return { capacity, maxFrameBytes };
}

/** A new, empty inbox memory with its header written. */
export function allocateInbox(sizes: InboxSizes): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(HEADER_BYTES + sizes.capacity);
  const header = new Int32Array(buffer, 0, HEADER_BYTES / Int32Array.BYTES_PER_ELEMENT);
  header[H_CAPACITY] = sizes.capacity;
  header[H_MAX_FRAME] = sizes.maxFrameBytes;
  Atomics.store(header, H_MAGIC, MAGIC);
  return buffer;
}

/**
 * The header of an inbox memory handed over by another thread, after checking that it is one and
 * that the sizes beside it are its own.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for anything else
 */
export function headerOf(buffer: unknown, sizes: InboxSizes): Int32Array {
  const isShared = Object.prototype.toString.call(buffer) === '[object SharedArrayBuffer]';
  const memory = buffer as SharedArrayBuffer;
  const header =
    isShared && memory.byteLength >= HEADER_BYTES ? new Int32Array(memory, 0, HEADER_BYTES / 4) : undefined;
  if (
    header === undefined ||
    Atomics.load(header, H_MAGIC) !== MAGIC ||
    header[H_CAPACITY] !== sizes.capacity ||
    header[H_MAX_FRAME] !== sizes.maxFrameBytes ||
    memory.byteLength !== HEADER_BYTES + sizes.capacity
  ) {
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      'not a frame inbox: attach takes what FrameInbox.share() returned, posted unchanged',
      { details: { capacity: sizes.capacity, maxFrameBytes: sizes.maxFrameBytes } },
    );
  }
  return header;
}

/**
 * Claims `role` in the inbox for the calling side.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` when that role was attached before (by any thread)
 */
export function claimRole(header: Int32Array, role: number): void {
  if ((Atomics.or(header, H_ROLES, role) & role) !== 0) {
    const name = role === PRODUCER ? 'producer' : 'consumer';
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `the inbox already has a ${name}: each side of an inbox is attached once, on one thread`,
      { details: { role: name } },
    );
  }
}

/**
 * Wakes the side that parks or awaits on the flag `word`, if it does. Loading first keeps the
 * common case (nobody waits) to one read of the word; the exchange makes one waker notify.
 */
export function wake(header: Int32Array, word: number): void {
  if (Atomics.load(header, word) !== 0 && Atomics.exchange(header, word, 0) !== 0) Atomics.notify(header, word);
}

/** Marks `side` closed and wakes whichever side waits, so it sees the close. */
export function closeSide(header: Int32Array, side: number): void {
  Atomics.or(header, H_CLOSED, side);
  wake(header, H_CONSUMER_WAITING);
  wake(header, H_PRODUCER_WAITING);
}

/** The `NET_ERR_CLOSED` of a call on an inbox that `side` (or the other side) closed. */
export function closedError(what: string, closedBy: number, self: number): NetError {
  const by = closedBy & self ? 'this side closed it' : 'the other side closed it';
  return new NetError(ErrorCode.CLOSED, `${what}: the inbox is closed (${by})`);
}
