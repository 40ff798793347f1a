import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { allocatedOver, countsAllocations } from '../../../test-support/heap-allocation.mjs';
import { bytesCodec } from '@net/core';
import { socketHostKind } from '@net/sync';
import { Clt, type Protocol, Svc } from './index.js';

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

// Heartbeats on, at an interval no round trip here reaches: every receive has a timer task pending,
// so it reads the clock and hands the time it read to its spin.
const heartbeats: Protocol<Uint8Array, Uint8Array> = {
  heartbeatInterval: 60_000,
  sendHeartbeat: () => undefined,
};

// Where the runtime calls the C library, and has a profiler whose heap figure moves with every
// allocation (Bun's moves only at collections): Node 26 and Deno.
const measurable = socketHostKind() !== 'broker' && countsAllocations;

describe.skipIf(!measurable)('garbage of a receive with a timer task pending', () => {
  it('makes well under one number per round trip once warm (it made a 16-byte one per receive)', () => {
    const svc = cleanups.close(Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', { codec: bytesCodec() }));
    const clt = cleanups.close(
      Clt.connect<Uint8Array, Uint8Array>({ port: svc.port }, { codec: bytesCodec(), protocol: heartbeats }),
    );
    const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
    const message = new Uint8Array(16);
    const roundTrips = (count: number) => {
      for (let n = 0; n < count; n++) {
        clt.send(message);
        peer.send(peer.recv()!);
        clt.recv();
      }
    };
    roundTrips(30_000); // warm: every function on the path optimized
    const count = 50_000;
    const perRoundTrip = allocatedOver(() => roundTrips(count)) / count;
    // Generous: the edges of the window and the odd recompilation cost a few hundred bytes in all.
    expect(perRoundTrip).toBeLessThan(8);
  });
});
