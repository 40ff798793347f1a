/**
 * What a send that must wait for room is given back by its connection's read side, which takes in
 * what the peer sent meanwhile (see `ReadSide.readWhileSending`): `'read'` when bytes were read,
 * `'nothing'` when none were there and there is room for them, `'stopped'` when nothing can be
 * taken in now (the read side is on another thread, the receive buffer is at its limit, or the
 * stream ended).
 */
export type InboundWhileSending = 'read' | 'nothing' | 'stopped';

/**
 * A socket host that can park the calling thread on one descriptor until it is writable or
 * readable, or readable only: one `poll(2)`, where the runtime calls the C library directly. The broker thread's host
 * (Node 20) cannot, and a send that waits there backs off in short parks instead.
 */
export interface ReadyWait {
  /** Parks until `fd` has room to write or bytes to read, or `timeoutMs` passed (Infinity: no bound). */
  waitWritableOrReadable(fd: number, timeoutMs: number): void;
  /**
   * Parks until `fd` has bytes to read (or its end, or an error), or `timeoutMs` passed: a whole
   * number of ms, -1 for no bound (a fraction would be a new heap number per call). True when readable.
   */
  waitReadable(fd: number, timeoutMs: number): boolean;
}

/** True when `host` can park on one descriptor ({@link ReadyWait}). */
export function canWaitReady(host: object): host is ReadyWait {
  return typeof (host as Partial<ReadyWait>).waitWritableOrReadable === 'function';
}
