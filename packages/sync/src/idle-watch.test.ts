import { describe, expect, it } from 'vitest';
import { ErrorCode, type NetError } from '@net/core';
import { IdleWatch, type WatchBroker, type WatchedConnection } from './idle-watch.js';
import type { WatchReport } from './socket-broker.js';

const FD = 42;

/** A broker that posts what the test says, and records every call the watch makes of it. */
function scriptedBroker() {
  const calls: string[] = [];
  const pending: WatchReport[] = [];
  const broker: WatchBroker & { eventCount: number; stopped: boolean } = {
    eventCount: 0,
    stopped: false,
    watch: (fd) => void calls.push(`watch ${fd}`),
    unwatch: (fd) => void calls.push(`unwatch ${fd}`),
    takeWatchReport: (fd) => {
      calls.push(`take ${fd}`);
      return pending.shift();
    },
    checkStopped: () => {
      calls.push('checkStopped');
      return false;
    },
  };
  /** The broker posts `report` (or, without one, an event of another descriptor). */
  const post = (report?: WatchReport) => {
    if (report !== undefined) pending.push(report);
    broker.eventCount++;
  };
  return { broker, calls, post };
}

/** A connection that records what the watch hands on. */
function recordingConnection() {
  const told: string[] = [];
  const closedWith: NetError[] = [];
  const connection: WatchedConnection = {
    conId: 'fake',
    feed: (bytes) => void told.push(`feed ${[...bytes].join(',')}`),
    feedCopy: (bytes, offset, length) =>
      void told.push(`copy ${[...bytes.subarray(offset, offset + length)].join(',')}`),
    endOfStream: () => void told.push('end'),
    close: (reason) => {
      told.push(`close ${reason.code}`);
      closedWith.push(reason);
    },
  };
  return { connection, told, closedWith };
}

describe('IdleWatch', () => {
  it('starts a watch at the limit-th empty poll in a row; a read that finds bytes starts the count again', () => {
    const { broker, calls } = scriptedBroker();
    const watch = new IdleWatch(broker, FD, recordingConnection().connection);
    watch.idlePoll(3);
    watch.idlePoll(3);
    watch.sawActivity();
    watch.idlePoll(3);
    watch.idlePoll(3);
    expect(watch.active).toBe(false);
    expect(calls).toEqual([]);
    watch.idlePoll(3);
    expect(watch.active).toBe(true);
    expect(calls).toEqual([`watch ${FD}`]);
  });

  it('with a time, starts the watch only once the run of empty polls is that old, however many came', () => {
    const { broker, calls } = scriptedBroker();
    let clock = 1_000;
    const watch = new IdleWatch(broker, FD, recordingConnection().connection, () => clock);
    // A caller that goes round fast makes many empty polls in little time: no watch yet.
    for (let i = 0; i < 100; i++) watch.idlePoll(4, 1);
    clock += 0.5;
    watch.idlePoll(4, 1);
    expect(watch.active).toBe(false);
    // Bytes came: the run begins again, and so does its time.
    watch.sawActivity();
    clock += 0.9;
    for (let i = 0; i < 3; i++) watch.idlePoll(4, 1);
    clock += 0.9;
    watch.idlePoll(4, 1);
    expect(watch.active).toBe(false);
    clock += 0.2;
    watch.idlePoll(4, 1);
    expect(watch.active).toBe(true);
    expect(calls).toEqual([`watch ${FD}`]);
  });

  it('with a time, still waits for the count: a slow caller does not watch at its first empty poll', () => {
    const { broker } = scriptedBroker();
    let clock = 0;
    const watch = new IdleWatch(broker, FD, recordingConnection().connection, () => clock);
    for (let i = 0; i < 3; i++) {
      watch.idlePoll(4, 1);
      clock += 10;
    }
    expect(watch.active).toBe(false);
    watch.idlePoll(4, 1);
    expect(watch.active).toBe(true);
  });

  it('costs no look at the broker while nothing was posted, and looks for the broker thread every 1,024th time', () => {
    const { broker, calls } = scriptedBroker();
    const watch = new IdleWatch(broker, FD, recordingConnection().connection);
    watch.start();
    calls.length = 0;
    for (let i = 0; i < 1_023; i++) expect(watch.takeReport()).toBe(false);
    expect(calls).toEqual([]);
    expect(watch.takeReport()).toBe(false);
    expect(calls).toEqual(['checkStopped']);
    expect(watch.active).toBe(true);
  });

  it('stays active through events of other descriptors, and hands the first bytes on once they come', () => {
    const { broker, calls, post } = scriptedBroker();
    const { connection, told } = recordingConnection();
    const watch = new IdleWatch(broker, FD, connection);
    watch.start();
    post();
    expect(watch.takeReport()).toBe(false);
    expect(watch.active).toBe(true);
    post({ kind: 'data', bytes: Uint8Array.of(1, 2, 3) });
    expect(watch.takeReport()).toBe(true);
    expect(watch.active).toBe(false);
    expect(told).toEqual(['feed 1,2,3']);
    expect(calls).toEqual([`watch ${FD}`, `take ${FD}`, `take ${FD}`]);
  });

  it('copies bytes reported in shared memory to the connection, then gives their slot back', () => {
    const { broker, post } = scriptedBroker();
    const { connection, told } = recordingConnection();
    const watch = new IdleWatch(broker, FD, connection);
    const released: number[] = [];
    watch.start();
    const area = Uint8Array.of(9, 9, 4, 5, 6, 9);
    post({ kind: 'shared', bytes: area, offset: 2, length: 3, release: () => void released.push(told.length) });
    expect(watch.takeReport()).toBe(true);
    // Released after the copy was made, not before: the broker may write the slot again at once.
    expect(told).toEqual(['copy 4,5,6']);
    expect(released).toEqual([1]);
  });

  it('hands on the end of the stream', () => {
    const { broker, post } = scriptedBroker();
    const { connection, told } = recordingConnection();
    const watch = new IdleWatch(broker, FD, connection);
    watch.start();
    post({ kind: 'eof' });
    expect(watch.takeReport()).toBe(true);
    expect(told).toEqual(['end']);
  });

  it('ends the connection with the socket error a watched descriptor failed with', () => {
    const { broker, post } = scriptedBroker();
    const { connection, closedWith } = recordingConnection();
    const watch = new IdleWatch(broker, FD, connection);
    watch.start();
    post({ kind: 'error', code: 'ECONNRESET', message: 'read ECONNRESET' });
    expect(watch.takeReport()).toBe(true);
    expect(closedWith.map((reason) => reason.code)).toEqual([ErrorCode.PEER_RESET]);
  });

  it('ends the connection with NET_ERR_CLOSED when the broker thread stopped, taking the descriptor with it', () => {
    const { broker, post } = scriptedBroker();
    const { connection, closedWith } = recordingConnection();
    const watch = new IdleWatch(broker, FD, connection);
    watch.start();
    broker.stopped = true;
    post({ kind: 'error', code: 'EBADF', message: 'socket broker thread stopped' });
    expect(watch.takeReport()).toBe(true);
    expect(closedWith).toHaveLength(1);
    expect(closedWith[0].code).toBe(ErrorCode.CLOSED);
    expect(closedWith[0].message).toMatch(/broker thread stopped/);
  });

  it('stop asks the broker to stop and still hands on a report it posted before (no bytes lost)', () => {
    const { broker, calls, post } = scriptedBroker();
    const { connection, told } = recordingConnection();
    const watch = new IdleWatch(broker, FD, connection);
    watch.start();
    post({ kind: 'data', bytes: Uint8Array.of(9) });
    watch.stop();
    expect(watch.active).toBe(false);
    expect(told).toEqual(['feed 9']);
    expect(calls).toEqual([`watch ${FD}`, `unwatch ${FD}`, `take ${FD}`]);
  });

  it('stop without a report only ends the watch; stop when not watching asks nothing of the broker', () => {
    const { broker, calls } = scriptedBroker();
    const { connection, told } = recordingConnection();
    const watch = new IdleWatch(broker, FD, connection);
    watch.stop();
    expect(calls).toEqual([]);
    watch.start();
    watch.stop();
    expect(watch.active).toBe(false);
    expect(told).toEqual([]);
    expect(calls).toEqual([`watch ${FD}`, `unwatch ${FD}`, `take ${FD}`]);
  });

  it('stays active when the broker does not answer the unwatch, so a later report is still taken', () => {
    const { broker, post } = scriptedBroker();
    const { connection, told } = recordingConnection();
    broker.unwatch = () => {
      throw new Error('no answer');
    };
    const watch = new IdleWatch(broker, FD, connection);
    watch.start();
    expect(() => watch.stop()).toThrow('no answer');
    expect(watch.active).toBe(true);
    post({ kind: 'eof' });
    expect(watch.takeReport()).toBe(true);
    expect(told).toEqual(['end']);
  });

  it('cancel forgets the watch without a word to the broker', () => {
    const { broker, calls } = scriptedBroker();
    const watch = new IdleWatch(broker, FD, recordingConnection().connection);
    watch.start();
    watch.cancel();
    expect(watch.active).toBe(false);
    expect(calls).toEqual([`watch ${FD}`]);
  });
});
