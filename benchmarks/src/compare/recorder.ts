import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { GarbageMeter } from './garbage-meter.js';
import type { ClientResult, Mode } from './protocol.js';

/** `performance.now()` in ns: a plain double, where `process.hrtime.bigint()` allocates a BigInt. */
const nowNs = (): number => performance.now() * 1e6;

/**
 * Times one client run: round trips (after a warm-up that is not recorded), replies at a fixed
 * rate (each timed from the moment its message was scheduled, not sent, so that a stall is
 * charged to every message it held up: no coordinated omission), or a whole stream. CPU time is
 * the client process's over the measured part, and so is the garbage it made ({@link GarbageMeter}).
 * Nothing here allocates per message.
 */
export class Recorder {
  private readonly _mode: Mode;
  private readonly _count: number;
  private readonly _warmup: number;
  private readonly _intervalNs: number;
  private readonly _histogram: RecordableHistogram = createHistogram();
  private _cpuStart = process.cpuUsage();
  private _startNs = 0;
  private readonly _budgetNs: number;
  private _deadlineNs = Infinity;
  // The warm-up is given the measured part's budget too, from when the recorder was made.
  private readonly _warmupDeadlineNs: number;
  private _streamed = 0;
  private readonly _garbage = new GarbageMeter();

  constructor(job: { mode: Mode; count: number; warmup: number; rate: number; budgetMs: number }) {
    this._mode = job.mode;
    this._count = job.count;
    this._budgetNs = job.budgetMs * 1e6;
    this._warmup = job.warmup;
    this._intervalNs = job.rate > 0 ? 1e9 / job.rate : 0;
    this._warmupDeadlineNs = nowNs() + this._budgetNs;
  }

  /**
   * True once the warm-up has run as long as the measured part's budget: a starved subject on a
   * loaded machine then starts measuring early, rather than spend its whole time limit warming up
   * and be killed with nothing measured.
   */
  warmupExpired(): boolean {
    return nowNs() > this._warmupDeadlineNs;
  }

  /** The measured part begins (streams, fixed rate and many connections). */
  start(): void {
    this._cpuStart = process.cpuUsage();
    this._startNs = nowNs();
    this._deadlineNs = this._startNs + this._budgetNs;
    this._garbage.start();
  }

  /**
   * The measured part ends, for the garbage count: what the client does after it (closing its
   * connections) is not the messages'. {@link result} ends it too where nothing comes between.
   */
  end(): void {
    this._garbage.stop();
  }

  /**
   * True once the measured part has run past its time budget: the run then ends early with the
   * messages measured so far, so that a starved subject on a loaded machine cannot hold the
   * whole comparison up. The result's count says how many were measured.
   */
  expired(): boolean {
    return nowNs() > this._deadlineNs;
  }

  /** A stream sent `frames` measured frames (fewer than asked when its budget ran out). */
  streamed(frames: number): void {
    this._streamed = frames;
  }

  /**
   * Round trip `i` begins; negative `i` are warm-up. Only the first measured one starts the clock:
   * see {@link endRoundTrip}.
   */
  beginRoundTrip(i: number): void {
    if (i !== 0) return;
    this.start();
    // Primes the histogram's own clock: its first call records nothing.
    this._histogram.recordDelta();
  }

  /**
   * Round trip `i` ended: the time since the previous one ended (or since the first began), read
   * and recorded by the histogram itself. Reading a clock here would make garbage per round trip on
   * some runtimes (`performance.now()` returns a boxed double wherever the call is not inlined, 16
   * bytes on Node 26), which the garbage suite would then charge to the subject. The time also
   * holds the loop's step to the next send: a few ns, and now and then the client's check of its
   * time budget ({@link expired}).
   */
  endRoundTrip(i: number): void {
    if (i >= 0) this._histogram.recordDelta();
  }

  /** A time stamp for {@link recordSince} (concurrent runs time each round trip themselves). */
  now(): number {
    return nowNs();
  }

  /** Records a round trip that began at `startedNs` (from {@link now}). */
  recordSince(startedNs: number): void {
    this._histogram.record(Math.max(1, Math.round(nowNs() - startedNs)));
  }

  /** The moment message `i` of a fixed-rate run is due, in {@link now}'s ns. */
  dueAt(i: number): number {
    return this._startNs + i * this._intervalNs;
  }

  /** True once message `i` of a fixed-rate run is due. */
  isDue(i: number): boolean {
    return nowNs() >= this.dueAt(i);
  }

  /** Milliseconds until message `i` is due (0 when it is). */
  msUntilDue(i: number): number {
    return Math.max(0, (this.dueAt(i) - nowNs()) / 1e6);
  }

  /** Messages a fixed-rate run sends in all: the warm-up ones first, then the measured ones. */
  get rateTotal(): number {
    return this._warmup + this._count;
  }

  /** The reply to message `i` of a fixed-rate run arrived (the first `warmup` are not recorded). */
  replied(i: number): void {
    if (i === this._warmup) {
      this._cpuStart = process.cpuUsage();
      this._garbage.start();
    }
    if (i < this._warmup) return;
    this._histogram.record(Math.max(1, Math.round(nowNs() - this.dueAt(i))));
  }

  /** The result line; `elapsedUs` runs from {@link start} to now. */
  result(): ClientResult {
    const garbage = this._garbage.stop();
    const cpu = process.cpuUsage(this._cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const elapsedUs = (nowNs() - this._startNs) / 1e3;
    if (this._mode === 'stream') return { elapsedUs, count: this._streamed, cpuSeconds, ...garbage };
    const us = (ns: number) => Number((ns / 1e3).toFixed(2));
    const h = this._histogram;
    return {
      p50: us(h.percentile(50)),
      p99: us(h.percentile(99)),
      p999: us(h.percentile(99.9)),
      max: us(h.max),
      count: h.count,
      cpuSeconds,
      elapsedUs,
      ...garbage,
    };
  }
}
