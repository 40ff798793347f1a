import { describe, expect, it } from 'vitest';
import { Clt, jsonCodec, Svc } from './index.js';

type Msg = { n: number; pad: string };

describe('backpressure with a high-water mark below the flush threshold', () => {
  it('reports a drain after every false send, so a producer that waits for it never stalls', async () => {
    const codec = jsonCodec<Msg>();
    const svc = await Svc.bind<Msg, Msg>('127.0.0.1:0', { codec });
    try {
      // 64 KiB is also the flush threshold: the send that crosses it writes everything at once.
      const clt = await Clt.connect<Msg, Msg>({ port: svc.port }, { codec, highWaterMark: 64 * 1024 });
      const peer = await svc.accept();
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
      await clt.close();
    } finally {
      await svc.close();
    }
  });
});
