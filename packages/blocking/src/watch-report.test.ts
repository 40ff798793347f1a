import { afterEach, describe, expect, it } from 'vitest';
import { socketHostKind } from '@net/sync';
import { connectionOf } from '@net/sync/internal';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { type EchoMsg, echoProcessForSuite, QUIET_HEARTBEATS } from './test-support/echo-process.js';
import { Clt, jsonCodec } from './index.js';

type Msg = EchoMsg;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

const heartbeats = QUIET_HEARTBEATS;
// An echo peer in another process, so that replies arrive while this thread waits in a receive.
const echo = echoProcessForSuite(socketHostKind() === 'broker');

// The broker thread's path (Node 20 to 24): a watch's report came as a posted message, an event
// and a buffer of its own on this thread for every receive that parked.
describe.skipIf(socketHostKind() !== 'broker')('a receive with a heartbeat pending, parked on a watch', () => {
  it('takes every reply through the shared area: no data event is posted to this thread', () => {
    const clt = cleanups.close(
      Clt.connect<Msg, Msg>({ port: echo.port }, { codec: jsonCodec<Msg>(), protocol: heartbeats, recvSpinMicros: 0 }),
    );
    const connection = connectionOf(clt);
    const broker = connection.broker as unknown as { _dispatch(event: { op: string }): void };
    const dispatch = broker._dispatch.bind(broker);
    const counts = { watches: 0, posted: 0 };
    broker._dispatch = (event) => {
      if (event.op === 'data') counts.posted++;
      dispatch(event);
    };
    cleanups.add(() => void (broker._dispatch = dispatch));
    const watch = connection.watch.bind(connection);
    connection.watch = () => {
      counts.watches++;
      watch();
    };
    for (let n = 0; n < 300; n++) {
      clt.send({ n });
      expect(clt.recv()).toEqual({ n });
    }
    // No spin: nearly every receive parks (the count shows the test saw the watches it means to).
    expect(counts.watches).toBeGreaterThanOrEqual(30);
    expect(counts.posted).toBe(0);
  });
});
