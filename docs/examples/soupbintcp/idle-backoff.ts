const parkCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Backs off a polling loop that found nothing to do: free for the first passes (lowest latency),
 * then a park of up to 1 ms, so an idle synchronous program does not hold a whole core.
 */
export class IdleBackoff {
  private _idle = 0;

  /** Call after each pass with whether it did anything. */
  after(moved: boolean): void {
    if (moved) {
      this._idle = 0;
      return;
    }
    if (++this._idle > 100) Atomics.wait(parkCell, 0, 0, 1);
  }
}
