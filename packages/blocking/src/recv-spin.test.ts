import { afterEach, describe, expect, it } from 'vitest';
import { connectionOf } from '@net/sync/internal';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { type EchoMsg, echoProcessForSuite, QUIET_HEARTBEATS } from './test-support/echo-process.js';
import { Clt, ErrorCode, jsonCodec, type Protocol, Svc } from './index.js';

type Msg = EchoMsg;
const codec = () => jsonCodec<Msg>();

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

const heartbeats = QUIET_HEARTBEATS;
// An echo peer in another process, so that replies arrive while this thread waits in a receive.
const echo = echoProcessForSuite();

/**
 * Round trips through the echo peer; returns how often the client parked: handing its socket to
 * the broker to watch, or (where the runtime calls the C library) in `poll(2)` on it.
 */
function parksOverRoundTrips(recvSpinMicros: number, count: number): { watches: number; polls: number } {
  const clt = cleanups.close(
    Clt.connect<Msg, Msg>({ port: echo.port }, { codec: codec(), protocol: heartbeats, recvSpinMicros }),
  );
  const connection = connectionOf(clt);
  const watch = connection.watch.bind(connection);
  const waitReadable = connection.waitReadable.bind(connection);
  const parks = { watches: 0, polls: 0 };
  connection.watch = () => {
    parks.watches++;
    watch();
  };
  connection.waitReadable = (timeoutMs) => {
    const state = waitReadable(timeoutMs);
    if (state !== 'unable') parks.polls++;
    return state;
  };
  for (let n = 0; n < count; n++) {
    clt.send({ n });
    expect(clt.recv()).toEqual({ n });
  }
  return parks;
}

/** The I/O path connections take in this runtime. */
function connectionOfIoPath(): string | undefined {
  const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: echo.port }, { codec: codec() }));
  return connectionOf(clt).ioPath;
}

describe('blocking receive spin', () => {
  it('with a heartbeat pending, takes replies that come within the spin without the broker thread', () => {
    // A spin of a whole second: every echo comes within it, however loaded the machine.
    expect(parksOverRoundTrips(1_000_000, 200)).toEqual({ watches: 0, polls: 0 });
  });

  it('with no spin, the same receives park (what the spin saves, and that the count sees it): in poll(2) on the C library, no watch', () => {
    const { watches, polls } = parksOverRoundTrips(0, 50);
    expect(watches + polls).toBeGreaterThanOrEqual(50);
    // Where the runtime calls the C library, a receive with a heartbeat due parks on its own
    // descriptor: the watch's reports are objects made per wait.
    if (connectionOfIoPath() === 'ffi') expect(watches).toBe(0);
  });

  it('a spin does not hold a receive past its timeout, and a heartbeat still goes out while it waits', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const beats: Protocol<Msg, Msg> = {
      heartbeatInterval: 20,
      peerSilenceIntervals: 0,
      sendHeartbeat: (sender) => sender.send({ n: -1, kind: 'hb' }),
    };
    const clt = cleanups.close(
      Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec(), protocol: beats, recvSpinMicros: 1_000_000 }),
    );
    const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
    const started = performance.now();
    expect(() => clt.recv({ timeout: 100 })).toThrow(expect.objectContaining({ code: ErrorCode.TIMEOUT }));
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(99); // a timeout never fires early
    // A spin held past the timeout returns at its own end, a second in: that is what this bound
    // catches, with 0.9 s to spare for a loaded machine.
    expect(waited).toBeLessThan(1_000);
    expect(peer.recv({ timeout: 1_000 })).toEqual({ n: -1, kind: 'hb' });
  });

  it.each([-1, 1.5, 2_000_000])('refuses recvSpinMicros %s with NET_ERR_INVALID_ARGUMENT', (recvSpinMicros) => {
    expect(() => Clt.connect<Msg, Msg>({ port: echo.port }, { codec: codec(), recvSpinMicros })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
  });
});
