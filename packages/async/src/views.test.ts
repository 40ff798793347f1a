import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { codeOf } from '../../../test-support/error-codes.mjs';
import {
  ascii,
  Clt,
  ErrorCode,
  type InferMessage,
  type MessageView,
  struct,
  structCodec,
  structViewCodec,
  Svc,
  u32,
  u53,
} from './index.js';

const Tick = struct({ seq: u53, symbol: ascii(6), leg: struct({ qty: u32 }) });
type Tick = InferMessage<typeof Tick>;
const COUNT = 2000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

const tick = (seq: number): Tick => ({ seq, symbol: `S${seq % 1000}`, leg: { qty: seq * 3 } });

/** A service sending COUNT ticks to each client it accepts, then closing it. */
async function tickService() {
  const svc = cleanups.close(await Svc.bind<Tick, Tick>('127.0.0.1:0', { codec: structCodec(Tick) }));
  const serve = (async () => {
    const accepted = await svc.accept();
    for (let seq = 0; seq < COUNT; seq++) accepted.send(tick(seq));
    await accepted.close();
  })();
  return { port: svc.port, serve };
}

describe('async flavour with views', () => {
  it('recv() hands out views with their own bytes, each valid until the next one is taken', async () => {
    const { port, serve } = await tickService();
    const clt = cleanups.close(
      await Clt.connect<Tick, MessageView<Tick>>({ port }, { codec: structViewCodec(Tick, { checkLifetime: true }) }),
    );
    let previous: MessageView<Tick> | undefined;
    let kept: Tick | undefined;
    let count = 0;
    for await (const view of clt) {
      expect(view.seq).toBe(count);
      expect(view.symbol).toBe(`S${count % 1000}`);
      expect(view.leg.qty).toBe(count * 3);
      if (previous !== undefined) expect(codeOf(() => previous!.seq)).toBe(ErrorCode.VIEW_EXPIRED);
      if (count === 1) kept = view.toObject();
      previous = view;
      count++;
    }
    await serve;
    expect(count).toBe(COUNT);
    expect(kept).toEqual(tick(1));
  });

  it('onMessage gets one reused view without the check, valid during the call', async () => {
    const { port, serve } = await tickService();
    const seen: MessageView<Tick>[] = [];
    let kept: Tick | undefined;
    let wrong = 0;
    const done = new Promise<void>((resolve) => {
      const codec = structViewCodec(Tick, { checkLifetime: false });
      void Clt.connect<Tick, MessageView<Tick>>(
        { port },
        {
          codec,
          onMessage: (view) => {
            if (view.seq !== seen.length || view.leg.qty !== view.seq * 3) wrong++;
            if (seen.length === 0) kept = view.toObject();
            seen.push(view);
            if (seen.length === COUNT) resolve();
          },
        },
      ).then((clt) => cleanups.close(clt));
    });
    await done;
    await serve;
    expect(wrong).toBe(0);
    expect(new Set(seen).size).toBe(1);
    expect(kept).toEqual(tick(0));
  });

  it('onMessage views expire at the next message and at close in development mode', async () => {
    const { port, serve } = await tickService();
    let expiredAtNext = 0;
    let previous: MessageView<Tick> | undefined;
    let count = 0;
    const codec = structViewCodec(Tick, { checkLifetime: true });
    const clt = cleanups.close(
      await Clt.connect<Tick, MessageView<Tick>>(
        { port },
        {
          codec,
          onMessage: (view) => {
            if (previous !== undefined && codeOf(() => previous!.seq) === ErrorCode.VIEW_EXPIRED) expiredAtNext++;
            expect(view.seq).toBe(count++);
            previous = view;
          },
        },
      ),
    );
    await serve;
    await clt.close();
    expect(count).toBe(COUNT);
    expect(expiredAtNext).toBe(COUNT - 1);
    expect(codeOf(() => previous!.leg)).toBe(ErrorCode.VIEW_EXPIRED);
  });
});
