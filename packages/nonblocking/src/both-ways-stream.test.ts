import { afterEach, describe, expect, it } from 'vitest';
import { startStreamClient, streamBothWays, streamCodec } from '../../../test-support/both-ways-stream.mjs';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import * as nonblocking from './index.js';

// Two peers that each read and write on one thread, both sending a whole stream before reading
// any of it: each send soon waits on the other's reads. A send that waits takes in what the peer
// sent, so both streams go through; were it not to, both would wait on each other until
// writeStallTimeout and fail with NET_ERR_BACKPRESSURE. (A blocking peer: see @net/blocking's test.)

const COUNT = 20_000;
const SIZE = 512;
// Generous: a peer whose sends never wait reads nothing meanwhile, so the other's send waits for
// as long as the first takes to send its whole stream (on a loaded machine, seconds).
const WRITE_STALL_MS = 10_000;
const CALL_TIMEOUT_MS = 60_000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

describe('two single-threaded non-blocking peers streaming to each other at once', () => {
  it(`each send ${COUNT} frames of ${SIZE} bytes before reading, and receive all of them in order`, async () => {
    const svc = cleanups.close(
      nonblocking.Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', {
        codec: streamCodec(nonblocking, SIZE, COUNT),
        writeStallTimeout: WRITE_STALL_MS,
      }),
    );
    const client = startStreamClient(cleanups, new URL('../dist/index.js', import.meta.url), {
      blocking: false,
      port: svc.port,
      count: COUNT,
      size: SIZE,
      timeoutMs: CALL_TIMEOUT_MS,
      writeStallTimeout: WRITE_STALL_MS,
    });
    const accepted = svc.acceptBusywaitTimeout(30_000);
    if (accepted === nonblocking.WOULD_BLOCK || accepted === nonblocking.REJECTED) throw new Error('no client came');
    const peer = cleanups.close(accepted);
    const here = streamBothWays(peer, false, COUNT, SIZE, CALL_TIMEOUT_MS);
    expect([here, await client]).toEqual([undefined, undefined]);
  }, 120_000);
});
