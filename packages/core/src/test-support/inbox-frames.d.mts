/** The length of frame `id`, from 0 to `max` (see inbox-frames.mjs). */
export function frameLength(id: number, max: number): number;
/** Writes frame `id`'s bytes at `bytes[offset ..]`; returns its length. */
export function fillFrame(bytes: Uint8Array, offset: number, id: number, max: number): number;
/** Why `bytes[offset .. offset + length)` is not frame `id`, or undefined when it is. */
export function frameMismatch(
  bytes: Uint8Array,
  offset: number,
  length: number,
  id: number,
  max: number,
): string | undefined;
