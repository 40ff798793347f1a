const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * What `for await` over a connection or an inbox receiver iterates: each step is one `recv()`, and
 * the first `undefined` (the end of the stream) ends it. A plain object rather than an async
 * generator, whose suspended frames and extra promises made some hundreds of bytes of garbage per
 * message; a step here is the receive's promise, one `then` and the step's result.
 *
 * Breaking out of the loop only ends the iteration: the connection or inbox stays open, and a new
 * loop receives from where this one stopped. A receive that fails (a frame that did not decode, a
 * timeout) rejects its step, which ends the loop with that error; the next loop reads on.
 */
export class RecvIterator<T> implements AsyncIterableIterator<T> {
  private readonly _recv: () => Promise<T | undefined>;
  private _done = false;

  /** @param recv the receive each step makes (`undefined` for the end of the stream) */
  constructor(recv: () => Promise<T | undefined>) {
    this._recv = recv;
  }

  /** The next message, or the end. */
  next(): Promise<IteratorResult<T, undefined>> {
    if (this._done) return Promise.resolve(DONE);
    return this._recv().then(this._step);
  }

  /** Ends the iteration (a `break` out of the loop); receives nothing and closes nothing. */
  return(): Promise<IteratorResult<T, undefined>> {
    this._done = true;
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  // Bound once: a step's `then` makes no function.
  private readonly _step = (message: T | undefined): IteratorResult<T, undefined> => {
    if (message !== undefined) return { done: false, value: message };
    this._done = true;
    return DONE;
  };
}
