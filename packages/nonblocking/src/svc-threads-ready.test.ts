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

  it('has its accepting thread park on the listener while no connection comes, not wake every millisecond', async () => {
    const svc = await SvcThreads.bind('127.0.0.1:0', { threads: 1, handler: TURNS });
    cleanups.add(() => svc.close());
    const acceptor = (svc as unknown as { _acceptor: { looks: number } })._acceptor;
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() }));
    expect(roundTrip(clt, { n: -1 })).toEqual({ n: -1 });
    const before = acceptor.looks;
    const started = performance.now();
    // Round trips keep the service busy for a while, and no connection comes meanwhile.
    for (let n = 0; n < 100_000 && performance.now() - started < 300; n++) expect(roundTrip(clt, { n })).toEqual({ n });
    const elapsed = performance.now() - started;
    // Parked in poll(2) it looks twice per 20 ms wait at most (once without waiting, once
    // waiting); looking every millisecond it made about one look per millisecond (fewer only on a
    // machine too busy to run its timers on time).
    expect(acceptor.looks - before).toBeLessThan(elapsed / 4 + 10);
  });
});
