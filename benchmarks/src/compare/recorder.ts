import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { Mode } from './protocol.js';

/**
 * Times one client run: round trips (after a warm-up that is not recorded), replies at a fixed
 * rate (each timed from the moment its message was scheduled, not sent, so that a stall is
 * charged to every message it held up: no coordinated omission), or a whole stream. CPU time is
 * the client process's over the measured part.
 */
export class Recorder {
  private readonly _mode: Mode;
  private readonly _count: number;
  private readonly _warmup: number;
  private readonly _intervalNs: number;
  private readonly _histogram: RecordableHistogram = createHistogram();
  private _cpuStart = process.cpuUsage();
  private _startNs = 0n;
  private _roundTripStart = 0n;

  constructor(job: { mode: Mode; count: number; warmup: number; rate: number }) {
    this._mode = job.mode;
    this._count = job.count;
    this._warmup = job.warmup;
    this._intervalNs = job.rate > 0 ? 1e9 / job.rate : 0;
  }

  /** The measured part begins (streams and fixed rate). */
  start(): void {
    this._cpuStart = process.cpuUsage();
    this._startNs = process.hrtime.bigint();
  }

  /** Round trip `i` begins; negative `i` are warm-up. */
  beginRoundTrip(i: number): void {
    if (i === 0) this.start();
    this._roundTripStart = process.hrtime.bigint();
  }

  /** Round trip `i` ended. */
  endRoundTrip(i: number): void {
    if (i >= 0) this._histogram.record(Math.max(1, Number(process.hrtime.bigint() - this._roundTripStart)));
  }

  /** Records a round trip that began at `startedNs` (concurrent runs time each one themselves). */
  recordSince(startedNs: bigint): void {
    this._histogram.record(Math.max(1, Number(process.hrtime.bigint() - startedNs)));
  }

  /** True once message `i` of a fixed-rate run is due. */
  isDue(i: number): boolean {
    return process.hrtime.bigint() - this._startNs >= BigInt(Math.floor(i * this._intervalNs));
  }

  /** Milliseconds until message `i` is due (0 when it is). */
  msUntilDue(i: number): number {
    const left = Number(BigInt(Math.floor(i * this._intervalNs)) - (process.hrtime.bigint() - this._startNs)) / 1e6;
    return Math.max(0, left);
  }

  /** Messages a fixed-rate run sends in all: the warm-up ones first, then the measured ones. */
  get rateTotal(): number {
    return this._warmup + this._count;
  }

  /** The reply to message `i` of a fixed-rate run arrived (the first `warmup` are not recorded). */
  replied(i: number): void {
    if (i === this._warmup) this._cpuStart = process.cpuUsage();
    if (i < this._warmup) return;
    const scheduled = this._startNs + BigInt(Math.floor(i * this._intervalNs));
    this._histogram.record(Math.max(1, Number(process.hrtime.bigint() - scheduled)));
  }

  /** The result line. */
  result(): object {
    const cpu = process.cpuUsage(this._cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (this._mode === 'stream') return { elapsedUs: Number(process.hrtime.bigint() - this._startNs) / 1e3, count: this._count, cpuSeconds };
    const us = (ns: number) => Number((ns / 1e3).toFixed(2));
    const h = this._histogram;
    const elapsedUs = Number(process.hrtime.bigint() - this._startNs) / 1e3;
    return { p50: us(h.percentile(50)), p99: us(h.percentile(99)), p999: us(h.percentile(99.9)), max: us(h.max), count: this._count, cpuSeconds, elapsedUs };
  }
}
