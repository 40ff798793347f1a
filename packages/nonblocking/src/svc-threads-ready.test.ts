import { socketHostKind } from '@net/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, jsonCodec, SvcThreads, WOULD_BLOCK } from './index.js';

type Msg = { n: number; turns?: boolean; empty?: number };
const TURNS = new URL('./test-support/turns-handler.mjs', import.meta.url);
const IDLE = 30;
const COUNT = 2_000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

function roundTrip(clt: Clt<Msg, Msg>, message: Msg): Msg {
  expect(clt.sendBusywait(message)).toBe('completed');
  const reply = clt.recvBusywaitTimeout(10_000);
  if (reply === WOULD_BLOCK || reply === undefined) throw new Error(`no reply to ${JSON.stringify(message)}`);
  return reply;
}

// On the C-library path a service thread learns from poll(2) which connections have bytes; the
// broker path (Node 20) cannot be woken by the broker thread's watch, so it tries them all.
describe.skipIf(socketHostKind() === 'broker')('SvcThreads on the C-library path', () => {
  it('serves a busy connection among idle ones in order, without trying the idle ones each pass', async () => {
    const svc = await SvcThreads.bind('127.0.0.1:0', { threads: 1, handler: TURNS });
    cleanups.add(() => svc.close());
    const connect = () => cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() }));
    // Each idle connection is served once (so it is on the thread), then sends nothing more.
    for (let i = 0; i < IDLE; i++) expect(roundTrip(connect(), { n: -1 })).toEqual({ n: -1 });
    const busy = connect();
    const before = roundTrip(busy, { n: -1, turns: true }).empty ?? 0;
    for (let n = 0; n < COUNT; n++) expect(roundTrip(busy, { n })).toEqual({ n });
    const after = roundTrip(busy, { n: -1, turns: true }).empty ?? 0;
    // Each of the busy connection's messages is a pass of its own: a pass that tried every
    // connection would find the 30 idle ones empty, some 60,000 empty turns. Served by readiness,
    // a turn finds nothing only when a poll said bytes came and they were not a whole message.
    expect(after - before).toBeLessThan(COUNT / 10);
  });
});
