import { ConId, ErrorCode } from '@net/core';
import { describe, expect, it } from 'vitest';
import { SharedHold } from '../transfer/shared-hold.js';
import { PollerBeat } from './poller-beat.js';

// The beat's schedule, on a clock the test gives (every `now` is made up): no socket, no wall time.

const INTERVAL = 100;
const FRAME = new Uint8Array([1, 2, 3, 4]);

/** A beat over a fresh shared state whose last send was at 0, and the times its beats went out. */
function setup(silenceIntervals = 0) {
  const shared = new SharedHold();
  shared.noteSend(0);
  const beat = new PollerBeat({ frame: FRAME, intervalMs: INTERVAL, silenceIntervals }, shared, 0);
  const sent: number[] = [];
  let room = Number.POSITIVE_INFINITY;
  let clock = 0;
  const write = (_bytes: Uint8Array, _offset: number, length: number): number => {
    const took = Math.min(room, length);
    if (took === length) sent.push(clock);
    return took;
  };
  const at = (now: number): void => {
    clock = now;
    beat.beat(now, write);
  };
  return { shared, beat, sent, at, setRoom: (bytes: number) => (room = bytes) };
}

describe('PollerBeat', () => {
  it('keeps beats on their due times when every wake-up comes late, instead of drifting by the delay', () => {
    const { beat, sent, at } = setup();
    // Each pass comes 7 ms after the park asked for, as a thread scheduled late would.
    let now = 0;
    for (let i = 0; i < 10; i++) {
      now += beat.dueIn(now) + 7;
      at(now);
    }
    expect(sent).toEqual([107, 207, 307, 407, 507, 607, 707, 807, 907, 1007]);
    // The park after a late beat ends at the next due time: 93 ms after the write, not 100.
    expect(beat.dueIn(1007)).toBe(93);
  });

  it('starts the schedule again from the write when a beat is over an interval late', () => {
    const { beat, sent, at } = setup();
    at(350);
    expect(sent).toEqual([350]);
    expect(beat.dueIn(350)).toBe(INTERVAL);
    at(449);
    at(450);
    expect(sent).toEqual([350, 450]);
  });

  it('counts from the last frame any thread wrote, and beats not before it is an interval old', () => {
    const { shared, sent, at } = setup();
    shared.noteSend(60);
    at(100);
    at(159);
    expect(sent).toEqual([]);
    at(160);
    expect(sent).toEqual([160]);
  });

  it('holds the write lock over a beat the socket takes in part, and records it at its due time', () => {
    const { shared, sent, at, setRoom } = setup();
    setRoom(0);
    at(105);
    expect(shared.tryLockWrite()).toBe(false);
    setRoom(Number.POSITIVE_INFINITY);
    at(106);
    expect(sent).toEqual([106]);
    expect(shared.lastSendAt).toBe(100);
    expect(shared.tryLockWrite()).toBe(true);
  });

  it('fails with NET_ERR_PEER_SILENT only after the silence limit, counted from the last read', () => {
    const { beat } = setup(3);
    const id = ConId.initiator('test', { kind: 'tcp', host: '127.0.0.1', port: 1 });
    expect(beat.silence(300, id)).toBeUndefined();
    beat.received(250);
    expect(beat.silence(550, id)).toBeUndefined();
    expect(beat.silence(551, id)?.code).toBe(ErrorCode.PEER_SILENT);
  });
});
