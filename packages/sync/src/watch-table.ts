import type { WatchReport } from './socket-broker.js';
import { WatchReportArea } from './watch-report-area.js';

/** The watch of one descriptor: kept from its first watch until it is closed or forgotten. */
interface WatchState {
  // The number of its latest watch: a report in the shared area names the watch it is for.
  seq: number;
  // Started and not yet reported.
  active: boolean;
  // A report that came as a posted message (an end, an error, bytes that did not fit the area).
  posted: WatchReport | undefined;
}

/** A report lent out of the shared area: valid until `release()`, which frees its slot. */
interface LentReport {
  kind: 'shared';
  bytes: Uint8Array;
  offset: number;
  length: number;
  release(): void;
}

const BROKER_STOPPED: WatchReport = { kind: 'error', code: 'EBADF', message: 'socket broker thread stopped' };

/**
 * The watches one broker channel has asked for, and their reports: from the channel's shared area
 * (see `watch-report-area.ts`), or posted. In steady state nothing here allocates: a descriptor's
 * state is made at its first watch and reused, and a shared report is lent as one reused object.
 */
export class WatchTable {
  private readonly _states = new Map<number, WatchState>();
  private readonly _area: WatchReportArea;
  private _seq = 0;
  private _lentSlot = -1;
  private readonly _lent: LentReport;
  private readonly _isCurrent = (fd: number, seq: number): boolean => {
    const state = this._states.get(fd);
    return state !== undefined && state.active && state.seq === seq;
  };

  constructor(signal: SharedArrayBuffer) {
    this._area = new WatchReportArea(signal);
    this._lent = {
      kind: 'shared',
      bytes: this._area.bytes,
      offset: 0,
      length: 0,
      release: () => {
        if (this._lentSlot >= 0) this._area.free(this._lentSlot);
        this._lentSlot = -1;
      },
    };
  }

  /** A watch of `fd` begins: returns its number, for the broker to write beside its report. */
  start(fd: number): number {
    this._seq = (this._seq + 1) | 0;
    let state = this._states.get(fd);
    if (state === undefined) this._states.set(fd, (state = { seq: 0, active: false, posted: undefined }));
    state.seq = this._seq;
    state.active = true;
    state.posted = undefined;
    return this._seq;
  }

  /** A report that came as a message: kept for a watch of `fd` that is waiting for one. */
  posted(fd: number, report: WatchReport): void {
    const state = this._states.get(fd);
    if (state?.active === true && state.posted === undefined) state.posted = report;
  }

  /**
   * The report of `fd`'s watch, if one came; the watch is then over. A shared one is lent: its
   * bytes must be copied out before `release()`, and before the next call here.
   * `stopped`: the broker thread is gone, so a watch still waiting will never report.
   */
  take(fd: number, stopped: boolean): WatchReport | undefined {
    const state = this._states.get(fd);
    if (state?.active !== true) return undefined;
    const posted = state.posted;
    if (posted !== undefined) {
      state.active = false;
      state.posted = undefined;
      return posted;
    }
    this._lent.release();
    const slot = this._area.find(fd, state.seq, this._isCurrent);
    if (slot >= 0) {
      state.active = false;
      const lent = this._lent;
      this._lentSlot = slot;
      lent.offset = this._area.offsetOf(slot);
      lent.length = this._area.lengthOf(slot);
      return lent;
    }
    if (!stopped) return undefined;
    state.active = false;
    return BROKER_STOPPED;
  }

  /** Whether `fd`'s watch has a report waiting to be taken, posted or shared (takes nothing). */
  waiting(fd: number): boolean {
    const state = this._states.get(fd);
    if (state?.active !== true) return false;
    return state.posted !== undefined || this._area.holds(fd, state.seq);
  }

  /** Forgets `fd` (closed, or held by another thread now): a report still coming is dropped. */
  forget(fd: number): void {
    this._states.delete(fd);
  }
}
