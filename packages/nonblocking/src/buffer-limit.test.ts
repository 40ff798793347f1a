import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, ErrorCode, jsonCodec, REJECTED, Svc, WOULD_BLOCK } from './index.js';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

describe('a small maxBatchBytes', () => {
  it('connects with a limit below the usual first buffer size, sends within it and refuses a frame over it', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec(), maxBatchBytes: 256 }));
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec(), maxBatchBytes: 256 }));
    const peer = svc.acceptBusywaitTimeout(5_000);
    if (peer === WOULD_BLOCK || peer === REJECTED) throw new Error('not accepted');
    cleanups.close(peer);
    expect(clt.sendBusywait({ n: 1 })).toBe('completed');
    expect(peer.recvBusywaitTimeout(5_000)).toEqual({ n: 1 });
    const big = { n: 2, pad: 'x'.repeat(300) } as Msg;
    expect(() => clt.send(big)).toThrow(expect.objectContaining({ code: ErrorCode.BUFFER_LIMIT }));
    expect(clt.sendBusywait({ n: 3 })).toBe('completed');
    expect(peer.recvBusywaitTimeout(5_000)).toEqual({ n: 3 });
  });

  it('refuses the async name maxBufferedBytes with NET_ERR_INVALID_ARGUMENT naming maxBatchBytes', () => {
    const renamed = expect.objectContaining({
      code: ErrorCode.INVALID_ARGUMENT,
      message: expect.stringContaining('maxBatchBytes'),
    });
    const options = { codec: codec(), maxBufferedBytes: 256 } as unknown as { codec: ReturnType<typeof codec> };
    expect(() => Svc.bind<Msg, Msg>('127.0.0.1:0', options)).toThrow(renamed);
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    expect(() => Clt.connect<Msg, Msg>({ port: svc.port }, options)).toThrow(renamed);
  });
});
