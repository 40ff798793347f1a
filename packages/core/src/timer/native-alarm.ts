// setTimeout treats anything above 2^31-1 ms as 1 ms; longer waits fire early and are re-armed.
const MAX_NATIVE_DELAY_MS = 2_147_483_647;

/**
 * The one native timer behind an attached `Timer`: a single unref'd `setTimeout`, so however many
 * tasks are scheduled the event loop holds one timer, and it never keeps the process alive.
 * @internal
 */
export class NativeAlarm {
  private readonly _onFire: () => void;
  private _native: ReturnType<typeof setTimeout> | undefined;
  private _armedFor = Infinity;
  private readonly _fire = (): void => {
    this._native = undefined;
    this._armedFor = Infinity;
    this._onFire();
  };

  constructor(onFire: () => void) {
    this._onFire = onFire;
  }

  /** The due time (on the owner's clock) the alarm is armed for; `Infinity` when disarmed. */
  get armedFor(): number {
    return this._armedFor;
  }

  /**
   * Makes the alarm fire by `due` (on the owner's clock, where it is `now`). Keeps the current
   * native timer when that fires no later; firing early is harmless because the owner polls,
   * finds nothing due, and re-arms.
   */
  armFor(due: number, now: number): void {
    if (this._native !== undefined && this._armedFor <= due) return;
    this.disarm();
    const delay = Math.min(MAX_NATIVE_DELAY_MS, Math.max(1, Math.ceil(due - now)));
    const native = setTimeout(this._fire, delay);
    native.unref();
    this._native = native;
    // Record the due time itself, not now + the rounded delay, so re-arming for the same task is a no-op.
    this._armedFor = due;
  }

  /** Cancels the native timer, if any. */
  disarm(): void {
    if (this._native !== undefined) clearTimeout(this._native);
    this._native = undefined;
    this._armedFor = Infinity;
  }
}
