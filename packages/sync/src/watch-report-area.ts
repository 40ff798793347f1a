import { SIGNAL_LENGTH } from './broker-messages.js';

/**
 * How many watch reports of one broker channel can wait in its shared area at once. A channel
 * whose owner polls many descriptors (a Poller) may have several reporting together; a report
 * that finds every slot taken travels as a posted message instead.
 */
export const WATCH_REPORT_SLOTS = 4;
/**
 * The most bytes one shared watch report carries. The first chunk of a busy ping-pong is small;
 * a bigger one travels as a posted message instead (it is rare, and costs a buffer anyway).
 */
export const WATCH_REPORT_SLOT_BYTES = 4_096;

// Per slot, four Int32s: its state, the descriptor, the watch's number, the length.
const SLOT_INTS = 4;
const STATE = 0;
const FD = 1;
const SEQ = 2;
const LENGTH = 3;
const FREE = 0;
const FULL = 1;
// The slots' words follow the signal words, the bytes follow the slots' words.
const HEADER_INTS = SIGNAL_LENGTH + 1;
const BYTES_AT = (HEADER_INTS + WATCH_REPORT_SLOTS * SLOT_INTS) * Int32Array.BYTES_PER_ELEMENT;

/**
 * Bytes of a broker channel's shared signal buffer: the signal words, then a report area of
 * `slots` slots. A channel for one half adopted on another thread watches one descriptor, and
 * takes one slot: thousands of such halves then cost 4 KiB each, not 16.
 */
export function signalBufferBytes(slots = WATCH_REPORT_SLOTS): number {
  return BYTES_AT + slots * WATCH_REPORT_SLOT_BYTES;
}

const slotWord = (slot: number, word: number): number => HEADER_INTS + slot * SLOT_INTS + word;

/**
 * The watch reports of one broker channel, in the shared buffer its owner already parks on: the
 * broker thread writes a watched descriptor's first bytes into a free slot and bumps the event
 * count; the owner copies them out and frees the slot. Nothing is posted and nothing allocated on
 * either side. One writer (the broker thread) and one reader (the channel's thread) per slot: a
 * slot's bytes are written before its state says full, and read before it says free again.
 */
export class WatchReportArea {
  /** Every slot's bytes; slot `i` starts at {@link offsetOf}(i). */
  readonly bytes: Uint8Array;
  private readonly _words: Int32Array;
  // As many as the buffer holds (see signalBufferBytes), at most WATCH_REPORT_SLOTS.
  private readonly _slots: number;

  constructor(buffer: SharedArrayBuffer) {
    this._slots = Math.max(
      0,
      Math.min(WATCH_REPORT_SLOTS, Math.floor((buffer.byteLength - BYTES_AT) / WATCH_REPORT_SLOT_BYTES)),
    );
    this._words = new Int32Array(buffer, 0, HEADER_INTS + this._slots * SLOT_INTS);
    this.bytes = new Uint8Array(buffer, Math.min(BYTES_AT, buffer.byteLength), this._slots * WATCH_REPORT_SLOT_BYTES);
  }

  /**
   * Broker side: puts the first bytes of watch `seq` of `fd` in a free slot. False when they do
   * not fit, or every slot is taken: the report is then posted.
   */
  write(fd: number, seq: number, chunk: Uint8Array): boolean {
    if (chunk.length > WATCH_REPORT_SLOT_BYTES) return false;
    const words = this._words;
    for (let slot = 0; slot < this._slots; slot++) {
      if (Atomics.load(words, slotWord(slot, STATE)) !== FREE) continue;
      this.bytes.set(chunk, slot * WATCH_REPORT_SLOT_BYTES);
      words[slotWord(slot, FD)] = fd;
      words[slotWord(slot, SEQ)] = seq;
      words[slotWord(slot, LENGTH)] = chunk.length;
      Atomics.store(words, slotWord(slot, STATE), FULL);
      return true;
    }
    return false;
  }

  /**
   * Owner side: the slot holding the report of watch `seq` of `fd`, or -1. A full slot that
   * `isCurrent` says belongs to no watch still waiting (one of a descriptor closed or forgotten
   * since, whose number may be in use again) is freed on the way.
   */
  find(fd: number, seq: number, isCurrent: (fd: number, seq: number) => boolean): number {
    const words = this._words;
    let found = -1;
    for (let slot = 0; slot < this._slots; slot++) {
      if (Atomics.load(words, slotWord(slot, STATE)) !== FULL) continue;
      const slotFd = words[slotWord(slot, FD)];
      const slotSeq = words[slotWord(slot, SEQ)];
      if (slotFd === fd && slotSeq === seq) found = slot;
      else if (!isCurrent(slotFd, slotSeq)) this.free(slot);
    }
    return found;
  }

  /** Whether a report of watch `seq` of `fd` waits in a slot (for tests: frees nothing). */
  holds(fd: number, seq: number): boolean {
    const words = this._words;
    for (let slot = 0; slot < this._slots; slot++) {
      if (
        Atomics.load(words, slotWord(slot, STATE)) === FULL &&
        words[slotWord(slot, FD)] === fd &&
        words[slotWord(slot, SEQ)] === seq
      )
        return true;
    }
    return false;
  }

  /** Where slot `slot`'s bytes start in {@link bytes}. */
  offsetOf(slot: number): number {
    return slot * WATCH_REPORT_SLOT_BYTES;
  }

  /** How many bytes slot `slot` holds. */
  lengthOf(slot: number): number {
    return this._words[slotWord(slot, LENGTH)];
  }

  /** Owner side: the slot's bytes are taken; the broker may write it again. */
  free(slot: number): void {
    Atomics.store(this._words, slotWord(slot, STATE), FREE);
  }
}
