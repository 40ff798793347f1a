import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { codeOf } from '../../../test-support/error-codes.mjs';
import {
  ascii,
  Clt,
  END_OF_STREAM,
  ErrorCode,
  type InferMessage,
  type MessageView,
  REJECTED,
  struct,
  structCodec,
  structViewCodec,
  Svc,
  u32,
  u53,
  WOULD_BLOCK,
} from './index.js';

const Tick = struct({ seq: u53, symbol: ascii(6), leg: struct({ qty: u32 }) });
type Tick = InferMessage<typeof Tick>;
const COUNT = 2000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

const tick = (seq: number): Tick => ({ seq, symbol: `S${seq % 1000}`, leg: { qty: seq * 3 } });

/** A client sending objects to a service that receives views. */
function connected(checkLifetime: boolean) {
  const svc = cleanups.close(
    Svc.bind<Tick, MessageView<Tick>>('127.0.0.1:0', { codec: structViewCodec(Tick, { checkLifetime }) }),
  );
  const clt = cleanups.close(Clt.connect<Tick, Tick>({ port: svc.port }, { codec: structCodec(Tick) }));
  const peer = svc.acceptBusywaitTimeout(5_000);
  if (peer === WOULD_BLOCK || peer === REJECTED) throw new Error('not accepted');
  return { clt, peer: cleanups.close(peer) };
}

describe('nonblocking flavour with views', () => {
  it('recv() reuses one view without the check, reading each message in place', () => {
    const { clt, peer } = connected(false);
    for (let seq = 0; seq < COUNT; seq++) clt.sendBusywait(tick(seq));
    let first: MessageView<Tick> | undefined;
    let kept: Tick | undefined;
    for (let seq = 0; seq < COUNT; seq++) {
      const view = peer.recvBusywaitTimeout(5_000);
      if (view === WOULD_BLOCK || view === END_OF_STREAM) throw new Error(`no message ${seq}`);
      expect(view.seq).toBe(seq);
      expect(view.symbol).toBe(`S${seq % 1000}`);
      expect(view.leg.qty).toBe(seq * 3);
      first ??= view;
      kept ??= view.toObject();
      expect(view).toBe(first);
    }
    expect(kept).toEqual(tick(0));
  });

  it('views expire at the next receive and at close in development mode', () => {
    const { clt, peer } = connected(true);
    for (let seq = 0; seq < COUNT; seq++) clt.sendBusywait(tick(seq));
    let previous: MessageView<Tick> | undefined;
    let kept: Tick | undefined;
    for (let seq = 0; seq < COUNT; seq++) {
      const view = peer.recvBusywaitTimeout(5_000);
      if (view === WOULD_BLOCK || view === END_OF_STREAM) throw new Error(`no message ${seq}`);
      if (previous !== undefined) expect(codeOf(() => previous!.seq)).toBe(ErrorCode.VIEW_EXPIRED);
      expect(view.seq).toBe(seq);
      expect(view.leg.qty).toBe(seq * 3);
      if (seq === 1) kept = view.toObject();
      previous = view;
    }
    peer.close();
    expect(codeOf(() => previous!.symbol)).toBe(ErrorCode.VIEW_EXPIRED);
    expect(kept).toEqual(tick(1));
  });
});
