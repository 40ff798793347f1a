import { HalfThread } from './half-thread-client.js';

/**
 * Two half threads that serve every scenario of one pair of flavours: each lets go of what it
 * holds after a scenario, and a thread that does not answer (a failed scenario left it in a loop)
 * or is gone (a scenario terminated it) is replaced, with its partner, before the next.
 */
export class HalfThreadPair {
  private _threads: Promise<readonly [HalfThread, HalfThread]> | undefined;

  /** The two threads, started on first use and again after a {@link reset} that replaced them. */
  get(): Promise<readonly [HalfThread, HalfThread]> {
    this._threads ??= Promise.all([HalfThread.start(), HalfThread.start()]);
    return this._threads;
  }

  /** Asks both threads to let go of what they hold; ends both when one does not. */
  async reset(): Promise<void> {
    const threads = this._threads;
    if (threads === undefined) return;
    const started = await threads;
    const reset = await Promise.all(started.map((thread) => thread.reset()));
    if (reset.includes(false)) {
      this._threads = undefined;
      await Promise.all(started.map((thread) => thread.end()));
    }
  }

  /** Ends both threads (after the pair's last scenario). */
  async end(): Promise<void> {
    const threads = this._threads;
    this._threads = undefined;
    if (threads !== undefined) await Promise.all((await threads).map((thread) => thread.end()));
  }
}
