import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, jsonCodec, Svc } from './index.js';

type Msg = { n: number; pad: string };

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

describe('backpressure with a high-water mark below the flush threshold', () => {
  it('reports a drain after every false send, so a producer that waits for it never stalls', async () => {
    const codec = jsonCodec<Msg>();
    const svc = cleanups.close(await Svc.bind<Msg, Msg>('127.0.0.1:0', { codec }));
    // 64 KiB is also the flush threshold: the send that crosses it writes everything at once.
    const clt = cleanups.close(await Clt.connect<Msg, Msg>({ port: svc.port }, { codec, highWaterMark: 64 * 1024 }));
    const peer = cleanups.close(await svc.accept());
    const total = 20_000; // about 20 MB, more than loopback socket buffers hold
    const producing = (async () => {
      let pauses = 0;
      for (let n = 0; n < total; n++) {
        if (!clt.send({ n, pad: 'x'.repeat(1_000) })) {
          pauses++;
          await clt.drained();
        }
      }
      return pauses;
    })();
    let received = 0;
    while (received < total && (await peer.recv({ timeout: 5_000 })) !== undefined) received++;
    expect(received).toBe(total);
    expect(await producing).toBeGreaterThan(0);
  });
});
