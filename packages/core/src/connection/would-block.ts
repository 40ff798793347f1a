/**
 * What a one-attempt receive gives when nothing is there to take now (links' `WouldBlock`). A
 * registered symbol named for the package that first defined it: the synchronous flavours and the
 * shared-memory inbox give the same value, and duplicate installs still share it.
 */
export const WOULD_BLOCK: unique symbol = Symbol.for('@net/sync.WOULD_BLOCK');
