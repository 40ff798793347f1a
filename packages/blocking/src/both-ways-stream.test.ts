import { afterEach, describe, expect, it } from 'vitest';
import { startStreamClient, streamBothWays, streamCodec } from '../../../test-support/both-ways-stream.mjs';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import * as blocking from './index.js';

// Two peers that each read and write on one thread, both sending a whole stream before reading
// any of it: each send soon waits on the other's reads. A send that waits takes in what the peer
// sent, so both streams go through; were it not to, both would wait on each other until
// writeStallTimeout and fail with NET_ERR_BACKPRESSURE.

const COUNT = 20_000;
const SIZE = 512;
// Generous: a peer whose sends never wait reads nothing meanwhile, so the other's send waits for
// as long as the first takes to send its whole stream (on a loaded machine, seconds).
const WRITE_STALL_MS = 10_000;
const CALL_TIMEOUT_MS = 60_000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** Streams both ways between a blocking service on this thread and a client of `flavourUrl` on a worker. */
async function streamWith(flavourUrl: URL, clientBlocking: boolean): Promise<(string | undefined)[]> {
  const svc = cleanups.close(
    blocking.Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', {
      codec: streamCodec(blocking, SIZE, COUNT),
      writeStallTimeout: WRITE_STALL_MS,
    }),
  );
  const client = startStreamClient(cleanups, flavourUrl, {
    blocking: clientBlocking,
    port: svc.port,
    count: COUNT,
    size: SIZE,
    timeoutMs: CALL_TIMEOUT_MS,
    writeStallTimeout: WRITE_STALL_MS,
  });
  const peer = cleanups.close(svc.accept({ timeout: 30_000 }));
  const here = streamBothWays(peer, true, COUNT, SIZE, CALL_TIMEOUT_MS);
  return [here, await client];
}

describe('two single-threaded blocking peers streaming to each other at once', () => {
  it(`each send ${COUNT} frames of ${SIZE} bytes before reading, and receive all of them in order`, async () => {
    expect(await streamWith(new URL('../dist/index.js', import.meta.url), true)).toEqual([undefined, undefined]);
  }, 120_000);

  it('so do a blocking service and a non-blocking client', async () => {
    const nonblocking = new URL('../../nonblocking/dist/index.js', import.meta.url);
    expect(await streamWith(nonblocking, false)).toEqual([undefined, undefined]);
  }, 120_000);
});
