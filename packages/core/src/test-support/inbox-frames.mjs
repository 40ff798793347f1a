// The frames the cross-thread inbox tests send: frame `id` has a length and every byte decided by
// its id, so the receiving side can tell a lost, repeated, reordered or torn frame from the bytes.

/** The length of frame `id`, from 0 to `max`, spread over the range. */
export function frameLength(id, max) {
  return (Math.imul(id, 40_503) >>> 0) % (max + 1);
}

/** Writes frame `id`'s bytes at `bytes[offset ..]`; returns its length. */
export function fillFrame(bytes, offset, id, max) {
  const length = frameLength(id, max);
  for (let i = 0; i < length; i++) bytes[offset + i] = (id * 13 + i * 31 + (id >>> 8)) & 0xff;
  return length;
}

/** Why `bytes[offset .. offset + length)` is not frame `id`, or undefined when it is. */
export function frameMismatch(bytes, offset, length, id, max) {
  const expected = frameLength(id, max);
  if (length !== expected) return `frame ${id}: ${length} bytes, expected ${expected}`;
  for (let i = 0; i < length; i++) {
    if (bytes[offset + i] !== ((id * 13 + i * 31 + (id >>> 8)) & 0xff)) return `frame ${id}: byte ${i} differs`;
  }
  return undefined;
}
