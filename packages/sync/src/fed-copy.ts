import type { FrameAccumulator } from '@net/core';
import type { ReusedView } from './reused-view.js';

/**
 * Copies `bytes[offset, offset + length)` into the accumulator's receive buffer, where a read
 * would have put them: the bytes are written over once this returns (a watch report in the
 * broker's shared area), so they cannot be kept as a chunk. `view` keeps the view of the source,
 * so a steady run of reports of one length copies without allocating.
 */
export function copyInto(
  accumulator: FrameAccumulator,
  view: ReusedView,
  bytes: Uint8Array,
  offset: number,
  length: number,
): void {
  if (length === 0) return;
  // A chunk still pending (never, after a read found nothing) is moved in first; the room a read
  // is given is the room these bytes may take.
  if (accumulator.absorbChunk() && accumulator.reserve() >= length) {
    accumulator.buffer.set(view.of(bytes, offset, length), accumulator.end);
    accumulator.commit(length);
    return;
  }
  // No room for them now (a frame near the buffer's limit is being gathered): a copy of their own
  // goes in as a chunk, which is what every report cost before.
  accumulator.push(bytes.slice(offset, offset + length), true);
}
