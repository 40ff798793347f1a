import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { packageHalfWorker } from '../../../test-support/half-worker-host.mjs';
import { Clt, END_OF_STREAM, ErrorCode, jsonCodec, Svc } from './index.js';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();
const COUNT = 10_000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** A worker running `test-support/half-worker.mjs` on this package's build. */
const startWorker = packageHalfWorker(cleanups, import.meta.url);

function connected(): { clt: Clt<Msg, Msg>; peer: Clt<Msg, Msg> } {
  const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
  const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
  const peer = svc.acceptBusywaitTimeout(5_000);
  if (typeof peer !== 'object') throw new Error('no connection accepted');
  return { clt, peer: cleanups.close(peer) };
}

describe('a half of a non-blocking Clt on another thread', () => {
  it('receives 10,000 messages in order on a worker, buffered ones first, while this thread sends', async () => {
    const { clt, peer } = connected();
    const { sender, receiver } = clt.split();
    peer.sendBusywait({ n: 0 });
    peer.sendBusywait({ n: 1 });
    expect(receiver.recvBusywaitTimeout(5_000)).toEqual({ n: 0 });
    const value = receiver.transfer();
    expect(() => receiver.recv()).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
    const { ask } = await startWorker();
    expect(await ask({ op: 'adoptReceiver', value }, value.transferList)).toMatchObject({ ok: true });
    const receiving = ask({ op: 'recvN', from: 1, count: COUNT });
    expect(sender.sendBusywait({ n: 7 })).toBe('completed');
    expect(peer.recvBusywaitTimeout(5_000)).toEqual({ n: 7 });
    for (let n = 2; n <= COUNT; n++) peer.sendBusywait({ n });
    expect(await receiving).toEqual({ ok: true, outOfOrder: 0 });
  }, 60_000);

  it("sends 10,000 messages in order from a worker; closing the client here ends the worker's half", async () => {
    const { clt, peer } = connected();
    const { sender } = clt.split();
    const value = sender.transfer();
    const { ask } = await startWorker();
    expect(await ask({ op: 'adoptSender', value }, value.transferList)).toMatchObject({ ok: true });
    const sending = ask({ op: 'sendN', count: COUNT });
    for (let n = 0; n < COUNT; n++) expect(peer.recvBusywaitTimeout(10_000)).toEqual({ n });
    expect(await sending).toMatchObject({ ok: true });
    clt.close();
    expect(await ask({ op: 'sendN', count: 1 })).toMatchObject({ ok: false, code: ErrorCode.CLOSED });
    expect(await ask({ op: 'close' })).toMatchObject({ ok: true });
    expect(peer.recvBusywaitTimeout(10_000)).toBe(END_OF_STREAM);
  }, 60_000);
});
