/** The codec of a both-ways stream: frames of `size` bytes, a receive limit that holds `count` of them. */
export function streamCodec(flavour: object, size: number, count: number): never;

/** Sends `count` frames, then receives `count`; the first problem, or undefined. */
export function streamBothWays(
  clt: object,
  blocking: boolean,
  count: number,
  size: number,
  timeoutMs: number,
): string | undefined;
