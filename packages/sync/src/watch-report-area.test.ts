import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { ErrorCode, jsonCodec } from '@net/core';
// The package's built code, by its own name: the broker thread runs compiled JavaScript.
import { END_OF_STREAM, socketHostKind, type SyncConnectionOptions } from '@net/sync';
import { SocketBroker, type SyncConnection } from '@net/sync/internal';
import type { BrokerEvent } from './broker-messages.js';
import { awaitWatchReport, connectionPair, stopBrokerThread, waitFor, writeRaw } from './test-support/loopback.js';
import {
  signalBufferBytes,
  WATCH_REPORT_SLOT_BYTES,
  WATCH_REPORT_SLOTS,
  WatchReportArea,
} from './watch-report-area.js';
import type { WatchTable } from './watch-table.js';

// A watch's first bytes come back through the channel's shared area, not as a posted message
// (whose event, buffer and report are garbage on the owner's thread): the broker thread's path only.
type Msg = { n: number; pad?: string };
const options: SyncConnectionOptions<Msg, Msg> = { codec: jsonCodec<Msg>() };

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** A broker of the test's own, and a count of the `data` events it posts to this thread. */
function countedBroker(): { broker: SocketBroker; posted: { data: number } } {
  const broker = new SocketBroker();
  cleanups.add(() => stopBrokerThread(broker));
  const posted = { data: 0 };
  const target = broker as unknown as { _dispatch(event: BrokerEvent): void };
  const dispatch = target._dispatch.bind(broker);
  target._dispatch = (event) => {
    if (event.op === 'data') posted.data++;
    dispatch(event);
  };
  return { broker, posted };
}

function pair(broker: SocketBroker) {
  const made = connectionPair(broker, options, options);
  cleanups.add(made.closeAll);
  made.client.driver.start();
  made.server.driver.start();
  return made;
}

/** Whether the broker has reported for `connection`'s watch and nobody took the report yet. */
function reportWaiting(connection: SyncConnection<Msg, Msg>): boolean {
  connection.broker.drain();
  return (connection.broker as unknown as { _watched: WatchTable })._watched.waiting(connection.fd);
}

describe.skipIf(socketHostKind() !== 'broker')('watch reports through the shared area', () => {
  it('many watches in a row on one connection post no data event; every message arrives in order', () => {
    const { broker, posted } = countedBroker();
    const { client, server } = pair(broker);
    for (let n = 0; n < 200; n++) {
      client.watch();
      writeRaw(server, `{"n":${n}}\n`);
      awaitWatchReport(client);
      expect(client.decodeBuffered()).toEqual({ n });
    }
    expect(posted.data).toBe(0);
  });

  it('a report bigger than a slot is posted, whole; the next small one is shared again', () => {
    const { broker, posted } = countedBroker();
    const { client, server } = pair(broker);
    const pad = 'x'.repeat(WATCH_REPORT_SLOT_BYTES * 2);
    client.watch();
    writeRaw(server, `${JSON.stringify({ n: 1, pad })}\n`);
    // However the broker's reads cut it, the first report holds more than a slot can.
    awaitWatchReport(client);
    expect(posted.data).toBe(1);
    let big = client.decodeBuffered();
    for (let turns = 0; big === undefined && turns < 1_000; turns++) {
      client.watch();
      awaitWatchReport(client);
      big = client.decodeBuffered();
    }
    expect(big).toEqual({ n: 1, pad });
    const postedForBig = posted.data;
    client.watch();
    writeRaw(server, '{"n":2}\n');
    awaitWatchReport(client);
    expect(client.decodeBuffered()).toEqual({ n: 2 });
    expect(posted.data).toBe(postedForBig);
  });

  it('more descriptors reporting at once than there are slots: the rest are posted, none lost or mixed up', () => {
    const { broker, posted } = countedBroker();
    const pairs = Array.from({ length: WATCH_REPORT_SLOTS + 2 }, () => pair(broker));
    for (const { client } of pairs) client.watch();
    pairs.forEach(({ server }, n) => writeRaw(server, `{"n":${n}}\n`));
    // Every report is in before any is taken: the slots are all full together.
    waitFor(broker, 'every report', () => (pairs.every(({ client }) => reportWaiting(client)) ? true : undefined));
    expect(posted.data).toBe(2);
    // Taken in the other order than they came: each connection gets its own.
    for (let n = pairs.length - 1; n >= 0; n--) {
      const { client } = pairs[n];
      awaitWatchReport(client);
      expect(client.decodeBuffered()).toEqual({ n });
    }
    // The slots are free again: the next round shares as many as the first.
    for (const { client } of pairs) client.watch();
    pairs.forEach(({ server }, n) => writeRaw(server, `{"n":${n + 100}}\n`));
    waitFor(broker, 'every report', () => (pairs.every(({ client }) => reportWaiting(client)) ? true : undefined));
    pairs.forEach(({ client }, n) => {
      awaitWatchReport(client);
      expect(client.decodeBuffered()).toEqual({ n: n + 100 });
    });
    expect(posted.data).toBe(4);
  });

  /** A watched connection whose last watch reported through the shared area; it is watched again. */
  function watchedAfterASharedReport() {
    const { broker, posted } = countedBroker();
    const { client, server } = pair(broker);
    client.watch();
    writeRaw(server, '{"n":1}\n');
    awaitWatchReport(client);
    expect(client.decodeBuffered()).toEqual({ n: 1 });
    client.watch();
    return { broker, posted, client, server };
  }

  it('the end of the stream after shared reports still reaches the receive', () => {
    const { posted, client, server } = watchedAfterASharedReport();
    server.close();
    awaitWatchReport(client);
    expect(client.recvOnce()).toBe(END_OF_STREAM);
    expect(posted.data).toBe(0);
  });

  it('a reset while watched, after shared reports, ends the connection with the reset', () => {
    const { broker, posted, client, server } = watchedAfterASharedReport();
    // A reset of the peer's socket, under its connection's feet (which closes it again, harmlessly).
    broker.close(server.fd, true);
    awaitWatchReport(client);
    expect(client.isOpen).toBe(false);
    expect(client.reason?.code).toBe(ErrorCode.PEER_RESET);
    expect(posted.data).toBe(0);
  });
});

describe('WatchReportArea', () => {
  it('holds as many reports as its buffer has slots for; a freed slot is written again', () => {
    const area = new WatchReportArea(new SharedArrayBuffer(signalBufferBytes(1)));
    const current = () => true;
    expect(area.write(7, 1, Uint8Array.of(1, 2))).toBe(true);
    // One slot, for a half adopted on another thread: the next report is posted instead.
    expect(area.write(8, 2, Uint8Array.of(3))).toBe(false);
    expect(area.write(7, 1, new Uint8Array(WATCH_REPORT_SLOT_BYTES + 1))).toBe(false);
    const slot = area.find(7, 1, current);
    expect([...area.bytes.subarray(area.offsetOf(slot), area.offsetOf(slot) + area.lengthOf(slot))]).toEqual([1, 2]);
    area.free(slot);
    expect(area.find(7, 1, current)).toBe(-1);
    expect(area.write(8, 2, Uint8Array.of(3))).toBe(true);
  });

  it("frees a report of a watch no longer waiting when it looks for another one's", () => {
    const area = new WatchReportArea(new SharedArrayBuffer(signalBufferBytes()));
    for (let fd = 0; fd < WATCH_REPORT_SLOTS; fd++) expect(area.write(fd, 1, Uint8Array.of(fd))).toBe(true);
    // Descriptor 0's watch is over (closed, say): its slot goes back; the others wait to be taken.
    expect(area.find(3, 1, (fd) => fd !== 0)).toBeGreaterThanOrEqual(0);
    expect(area.write(9, 1, Uint8Array.of(9))).toBe(true);
    expect(area.write(10, 1, Uint8Array.of(10))).toBe(false);
  });
});
