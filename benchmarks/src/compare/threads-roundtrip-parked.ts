import * as blocking from '@net/blocking';
import { body, type ClientResult, ECHOED } from './protocol.js';
import type { RoundTripJob } from './threads-roundtrip.js';
import { CONNECT_MS } from './threads-roundtrip.js';
import { roundTripRecorder, sameThreadRoundTrips } from './threads-roundtrip-loop.js';
import { wireCodec } from './wire-codec.js';

/** The round-trip way of the threads suite whose client parks in its receive on its own thread. */
export const PARKED_SAME_THREAD_WAY = 'blocking-same-thread';

/**
 * What a thread parked in its receive pays for `Clt.recv` when no other thread is involved: the
 * same round trips as the same-thread row, taken by `@net/blocking` with no spin before the park,
 * so each reply costs one wake-up (the kernel's, out of `poll(2)` on the C-library path, or the
 * broker's on Node 20). It is the baseline of the row whose receiver parks on a worker, which
 * pays that wake-up and a second one, the sending thread's out of `Atomics.wait`: the difference
 * between the two is the handoff.
 */
export function runParkedRoundTrips(job: Omit<RoundTripJob, 'way'>): ClientResult {
  const clt = blocking.Clt.connect<unknown, unknown>(
    { host: '127.0.0.1', port: job.port },
    { codec: wireCodec('bytes'), recvSpinMicros: 0, timeout: CONNECT_MS },
  );
  const message = body(job.size, ECHOED);
  const result = sameThreadRoundTrips(job, roundTripRecorder(job), () => {
    clt.send(message);
    clt.recv();
  });
  clt.close();
  return result;
}
