import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { NativeAlarm } from './native-alarm.js';
import { TaskHeap } from './task-heap.js';
import { checkMs, TaskResult, type TaskFunction } from './task-result.js';
import { ScheduledTask, TaskState, type TimerTask } from './timer-task.js';

/** A monotonic clock in milliseconds. Inject a fake one in tests. */
export type Clock = () => number;

/** Receives an error thrown by a task (the task is then cancelled) and the task's name. */
export type TimerErrorHandler = (error: unknown, taskName: string) => void;

/** Options of a {@link Timer}. */
export interface TimerOptions {
  /** The clock due times are measured on. Default `performance.now`. */
  readonly clock?: Clock;
  /** Where errors thrown by tasks go. Default: `console.error`. */
  readonly onError?: TimerErrorHandler;
}

/** Options of {@link Timer.schedule} and {@link Timer.once}. */
export interface ScheduleOptions {
  /** Shown when the task's errors are reported. Default `task#<n>`. */
  readonly name?: string;
  /** Delay before the first run of a repeating task. Default: its interval (as `setInterval`); 0 runs it at the next poll. */
  readonly delayMs?: number;
}

const defaultClock: Clock = () => performance.now();

function defaultOnError(error: unknown, taskName: string): void {
  console.error(`@net timer: task "${taskName}" threw and was cancelled`, error);
}

/**
 * One scheduler per thread for heartbeats and timeouts: coarse and cheap, with no native timer
 * per task. Tasks sit in a binary min-heap on their due time.
 *
 * - Synchronous flavours drive it from their own wait loops: {@link poll} runs what is due and
 *   says how long they may wait before calling it again.
 * - The async flavour calls {@link attachToEventLoop}: one unref'd `setTimeout` for the earliest
 *   task, re-armed after each poll, so the timer never keeps the process alive.
 *
 * Repeating tasks are **fixed-delay**: the next run is one interval after the poll that ran the
 * task, so a late poll runs each due task once and never fires a catch-up burst (links reschedules
 * at fixed rate and does). A task that throws is reported to `onError` and **cancelled**: a broken
 * heartbeat must not fail again every interval; catch inside and return `retryAfter` to retry.
 */
export class Timer {
  private readonly _clock: Clock;
  private readonly _onError: TimerErrorHandler;
  private readonly _heap = new TaskHeap<ScheduledTask>();
  // Reused by every poll so that running due tasks allocates nothing.
  private readonly _batch: ScheduledTask[] = [];
  private _running: ScheduledTask | undefined;
  private _active = 0;
  private _seq = 0;
  private _named = 0;
  private _polling = false;
  private _attached = false;
  private readonly _alarm = new NativeAlarm(() => this.poll());
  // What pollTimes() writes: the time read (NaN when none was) and the ms until the next task.
  private readonly _times = new Float64Array(2);
  private readonly _performanceClock: boolean;

  constructor(options: TimerOptions = {}) {
    this._clock = options.clock ?? defaultClock;
    this._performanceClock = options.clock === undefined;
    this._onError = options.onError ?? defaultOnError;
  }

  /** Number of active tasks (scheduled, or due in the poll under way). */
  get size(): number {
    return this._active;
  }

  /** True while the timer drives itself from the event loop. */
  get isAttached(): boolean {
    return this._attached;
  }

  /** The current time on this timer's clock. */
  now(): number {
    return this._clock();
  }

  /**
   * Runs `fn` every `intervalMs` (above 0), first after `options.delayMs` (default: the interval).
   * Its {@link TaskResult} can end it or move its next run.
   */
  schedule(intervalMs: number, fn: TaskFunction, options: ScheduleOptions = {}): TimerTask {
    checkMs('intervalMs', intervalMs, true);
    const delayMs = options.delayMs === undefined ? intervalMs : checkMs('delayMs', options.delayMs, false);
    return this._add(intervalMs, delayMs, fn, options.name);
  }

  /** Runs `fn` once, `delayMs` from now (unless it returns `retryAfter`, which runs it again). */
  once(delayMs: number, fn: TaskFunction, options: Pick<ScheduleOptions, 'name'> = {}): TimerTask {
    return this._add(undefined, checkMs('delayMs', delayMs, false), fn, options.name);
  }

  /**
   * Runs every task due at `at` (default: the clock, which is not read when nothing is
   * scheduled), each at most once, in due order, then returns the milliseconds until the next
   * task is due: 0 when one is already due, `Infinity` when there is none. A task scheduled or
   * rescheduled to "now" by a running task waits for the next poll, so a task returning
   * `retryAfter(0)` cannot spin a poll forever. Calling `poll` from inside a task runs nothing and
   * only returns the wait.
   */
  poll(at?: number): number {
    // Nothing scheduled: no clock to read. The synchronous flavours poll on every receive, and a
    // clock read per message was a measurable share of a stream's receiving side.
    if (at === undefined && this._heap.size === 0) return Infinity;
    const now = at ?? this._clock();
    if (Number.isNaN(now)) throw new NetError(ErrorCode.INVALID_ARGUMENT, 'poll(now) needs a time, got NaN');
    if (this._polling) return this.msUntilNext(now);
    this._polling = true;
    const batch = this._batch;
    try {
      // First take every due task out of the heap, then run them: whatever the runs schedule
      // lands in the heap and waits for the next poll.
      for (let top = this._heap.peek(); top !== undefined && top.key <= now; top = this._heap.peek()) {
        if (this._refreshKey(top)) continue;
        this._heap.pop();
        top.state = TaskState.PENDING;
        batch.push(top);
      }
      for (let i = 0; i < batch.length; i++) {
        const task = batch[i];
        if (task.state !== TaskState.PENDING) continue; // cancelled by an earlier task of this batch
        if (task.due > now)
          this._insert(task); // pushed back by an earlier task of this batch
        else this._run(task, now);
      }
    } finally {
      batch.length = 0;
      this._polling = false;
    }
    if (this._attached) this._arm();
    return this.msUntilNext(now);
  }

  /**
   * {@link poll} for a caller that polls on every message: runs what is due and returns
   * this timer's own array, holding the time read at `[0]` (NaN when nothing is scheduled, and no
   * clock is read) and the wait until the next task at `[1]`, valid until the next call. Why not a
   * number: on V8 a time returned from a call that is not inlined, or handed to one, is a new
   * 16-byte heap number, and a poll per send and per receive made two or three of them a message.
   */
  pollTimes(): Float64Array {
    const times = this._times;
    const top = this._heap.peek();
    if (top === undefined) {
      times[0] = NaN;
      times[1] = Infinity;
      return times;
    }
    // The clock read here, where a small function keeps the time unboxed; a custom one as given.
    const now = this._performanceClock ? performance.now() : this._clock();
    times[0] = now;
    // Nothing due (the usual case): the wait is the earliest key. A key may be early (a task
    // pushed back keeps its key until it comes up), which only wakes the caller early once.
    if (top.key > now && !this._polling) times[1] = top.key - now;
    else times[1] = this.poll(now);
    return times;
  }

  /** Milliseconds from `now` until the next task is due (0 if overdue, `Infinity` if none). */
  msUntilNext(now: number = this._clock()): number {
    let top = this._heap.peek();
    // A stale key at the top would under-report the wait; fixing it once here keeps it exact.
    while (top !== undefined && this._refreshKey(top)) top = this._heap.peek();
    return top === undefined ? Infinity : Math.max(0, top.key - now);
  }

  /**
   * Drives the timer from the event loop (for the async flavour): one unref'd `setTimeout` for the
   * earliest task. Idempotent. Returns this timer.
   */
  attachToEventLoop(): this {
    this._attached = true;
    this._arm();
    return this;
  }

  /** Stops driving the timer from the event loop; tasks stay scheduled for {@link poll}. */
  detach(): this {
    this._attached = false;
    this._alarm.disarm();
    return this;
  }

  /** Cancels every task, including any that a poll under way has yet to run. */
  clear(): void {
    this._heap.clear((task) => task.finish());
    for (const task of this._batch) task.finish();
    this._running?.finish();
    this._active = 0;
    this._alarm.disarm();
  }

  /** @internal */
  _cancelTask(task: ScheduledTask): boolean {
    if (task.state === TaskState.DONE) return false;
    if (task.state === TaskState.SCHEDULED) this._heap.remove(task);
    // PENDING and RUNNING tasks are not in the heap; the poll sees DONE and drops them.
    task.finish();
    this._active--;
    return true;
  }

  /** @internal */
  _rescheduleTask(task: ScheduledTask, delayMs: number): boolean {
    checkMs('delayMs', delayMs, false);
    if (task.state === TaskState.DONE) return false;
    this._setDue(task, this._clock() + delayMs);
    if (task.state === TaskState.RUNNING) task.rescheduledInRun = true;
    else if (task.state === TaskState.SCHEDULED && task.due < task.key) {
      // Earlier: re-key now. Later: leave the key (see ScheduledTask), O(1) per reschedule.
      task.key = task.due;
      task.seq = task.dueSeq;
      this._heap.update(task);
      this._armIfEarlier(task.due);
    }
    return true;
  }

  private _add(intervalMs: number | undefined, delayMs: number, fn: TaskFunction, name: string | undefined): TimerTask {
    if (typeof fn !== 'function') throw new NetError(ErrorCode.INVALID_ARGUMENT, 'a timer task needs a function');
    const task = new ScheduledTask(this, name ?? `task#${++this._named}`, intervalMs, fn);
    this._setDue(task, this._clock() + delayMs);
    this._active++;
    this._insert(task);
    return task;
  }

  private _run(task: ScheduledTask, now: number): void {
    task.state = TaskState.RUNNING;
    task.rescheduledInRun = false;
    this._running = task;
    let result: TaskResult | void;
    try {
      result = task.fn();
    } catch (error) {
      this._running = undefined;
      if (task.isActive) this._end(task);
      this._report(error, task.name);
      return;
    }
    this._running = undefined;
    // isActive rather than state: the run may have changed it (TypeScript narrowed it to RUNNING).
    if (!task.isActive) return; // cancelled itself, or cleared the timer
    if (result === undefined || result === TaskResult.COMPLETED) {
      if (task.rescheduledInRun) this._insert(task);
      else if (task.intervalMs === undefined) this._end(task);
      else this._repeat(task, now + task.intervalMs);
    } else if (result === TaskResult.TERMINATE) {
      this._end(task);
    } else if (typeof result === 'object' && result !== null && isValidMs(result.retryAfterMs)) {
      this._repeat(task, now + result.retryAfterMs);
    } else {
      this._end(task);
      this._report(
        new NetError(ErrorCode.INVALID_ARGUMENT, `timer task returned an invalid result: ${String(result)}`),
        task.name,
      );
    }
  }

  private _repeat(task: ScheduledTask, due: number): void {
    this._setDue(task, due);
    this._insert(task);
  }

  private _end(task: ScheduledTask): void {
    task.finish();
    this._active--;
  }

  private _setDue(task: ScheduledTask, due: number): void {
    task.due = due;
    task.dueSeq = ++this._seq;
  }

  private _insert(task: ScheduledTask): void {
    task.state = TaskState.SCHEDULED;
    task.key = task.due;
    task.seq = task.dueSeq;
    this._heap.push(task);
    this._armIfEarlier(task.key);
  }

  /** Moves a stale heap key (the task was pushed back) to its real due time; true if it did. */
  private _refreshKey(task: ScheduledTask): boolean {
    if (task.key === task.due && task.seq === task.dueSeq) return false;
    task.key = task.due;
    task.seq = task.dueSeq;
    this._heap.update(task);
    return true;
  }

  private _report(error: unknown, taskName: string): void {
    try {
      this._onError(error, taskName);
    } catch (handlerError) {
      // A throwing handler must not stop the other due tasks from running.
      console.error('@net timer: onError threw', handlerError, 'while reporting', error);
    }
  }

  private _armIfEarlier(due: number): void {
    if (this._attached && !this._polling && due < this._alarm.armedFor) this._arm();
  }

  private _arm(): void {
    const now = this._clock();
    const wait = this.msUntilNext(now);
    if (wait === Infinity) this._alarm.disarm();
    else this._alarm.armFor(now + wait, now);
  }
}

function isValidMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
