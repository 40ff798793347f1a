import { it } from 'vitest';
import { Clt, Svc, jsonCodec } from '@net/async';
import { clientLogin, serviceLogin, type CltMsg, type SvcMsg } from './scenarios/protocols.js';
import { rejectionCode } from './scenarios/helpers.js';

it('probe handshake refusal outcomes', async () => {
  const svc = await Svc.bind<SvcMsg, CltMsg>('127.0.0.1:0', { codec: jsonCodec<SvcMsg, CltMsg>(), protocol: serviceLogin(), maxConnections: 1 });
  const opts = { codec: jsonCodec<CltMsg, SvcMsg>(), protocol: clientLogin(), timeout: 1000 };
  const first = await Clt.connect<CltMsg, SvcMsg>({ port: svc.port }, opts);
  await svc.accept();
  const counts: Record<string, number> = {};
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    const code = await rejectionCode(Clt.connect<CltMsg, SvcMsg>({ port: svc.port }, opts));
    const key = `${code} ${performance.now() - t > 500 ? 'slow' : 'fast'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  console.log(counts, 'rejected', svc.rejectedCount);
  await first.close();
  await svc.close();
}, 200_000);
