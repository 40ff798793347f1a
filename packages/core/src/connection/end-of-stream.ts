/**
 * What every flavour's receive gives once the peer closed cleanly and every message was taken
 * (links' `Completed(None)`): `undefined`, named so a check reads as what it means. It is the same
 * value in `@net/async`, `@net/blocking` and `@net/nonblocking`, so code that ends a read loop on
 * it moves between flavours unchanged. A codec never decodes a message to `undefined`, so the end
 * cannot be mistaken for a message.
 *
 * ```ts
 * for (let m = clt.recv(); m !== END_OF_STREAM; m = clt.recv()) handle(m);
 * ```
 */
export const END_OF_STREAM = undefined;

/** The type of {@link END_OF_STREAM}. */
export type EndOfStream = typeof END_OF_STREAM;
