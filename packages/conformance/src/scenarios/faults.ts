import { type Codec, ErrorCode } from '@net/core';
import { bytesCodec, delimiterFramer, jsonCodec, lengthFieldFramer } from '../recipes/core-factories.js';
import { describe, expect, it } from 'vitest';
import type { CltHandle, SvcHandle } from '../adapter.js';
import type { SuiteContext } from './context.js';
import { EventLog, reasonCode, rejectionCode, seededRandom, type Seq, within } from './helpers.js';
import { joinBytes, rawConnect, rawListen, type RawPeer, u32Frame, utf8 } from './raw-peer.js';

interface FaultRig {
  readonly svc: SvcHandle<Seq, Seq>;
  readonly log: EventLog<Seq, Seq>;
  /** A raw peer connected to the service. */
  readonly raw: RawPeer;
  /** The service's handle on the raw peer's connection. */
  readonly peer: CltHandle<Seq, Seq>;
  /** Checks that the service and a connection opened before the fault still work, and a new one too. */
  stillServing(): Promise<void>;
}

/**
 * A service with a well-behaved client already connected (the bystander) and a raw peer that the
 * scenario uses to misbehave.
 */
async function faultRig(ctx: SuiteContext, codec: () => Codec<Seq, Seq>): Promise<FaultRig> {
  const log = new EventLog<Seq, Seq>();
  const svc = await ctx.bind<Seq, Seq>({ codec: codec(), callbacks: log });
  const [bystander, bystanderPeer] = await Promise.all([
    ctx.connect<Seq, Seq>(svc.port, { codec: codec() }),
    svc.accept(5_000),
  ]);
  ctx.track(bystanderPeer);
  const accepted = svc.accept(5_000);
  const raw = await rawConnect(ctx, svc.port);
  const peer = ctx.track(await accepted);
  const stillServing = async () => {
    await bystander.send({ seq: 1 });
    expect(await bystanderPeer.recv(5_000)).toEqual({ seq: 1 });
    await bystanderPeer.send({ seq: 2 });
    expect(await bystander.recv(5_000)).toEqual({ seq: 2 });
    const [late, latePeer] = await Promise.all([
      ctx.connect<Seq, Seq>(svc.port, { codec: codec() }),
      svc.accept(5_000),
    ]);
    ctx.track(latePeer);
    await late.send({ seq: 3 });
    expect(await latePeer.recv(5_000)).toEqual({ seq: 3 });
  };
  return { svc, log, raw, peer, stillServing };
}

const jsonLength = () => jsonCodec<Seq>({ framing: 'length' });
const jsonLines = () => jsonCodec<Seq>();
const frame = (message: Seq) => u32Frame(utf8(JSON.stringify(message)));

/** Bad input from the peer: oversized, corrupt, undecodable, truncated, garbage, reset. */
export function faultScenarios(ctx: SuiteContext): void {
  describe('faults', () => {
    it('closes a connection whose peer announces a 4 GB frame with NET_ERR_FRAME_TOO_LARGE; the service keeps serving', async () => {
      const rig = await faultRig(ctx, jsonLength);
      await rig.raw.write(joinBytes([frame({ seq: 0 }), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 1, 2, 3)]));
      expect(await rig.peer.recv(5_000)).toEqual({ seq: 0 });
      expect(await rejectionCode(rig.peer.recv(5_000))).toBe(ErrorCode.FRAME_TOO_LARGE);
      expect(reasonCode(await within(rig.peer.closed, 5_000, 'the connection to close'))).toBe(
        ErrorCode.FRAME_TOO_LARGE,
      );
      const event = await rig.log.waitFor('disconnected', 5_000, (e) => e.reason !== undefined);
      expect(event.reason?.code).toBe(ErrorCode.FRAME_TOO_LARGE);
      await within(rig.raw.closed, 5_000, 'the raw peer to be cut off');
      await rig.stillServing();
    });

    it('closes a connection whose line passes maxFrameLength without a delimiter with NET_ERR_FRAME_TOO_LARGE', async () => {
      const rig = await faultRig(ctx, () => jsonCodec<Seq>({ maxFrameLength: 1024 }));
      await rig.raw.write(utf8('a'.repeat(2_000)));
      expect(await rejectionCode(rig.peer.recv(5_000))).toBe(ErrorCode.FRAME_TOO_LARGE);
      expect(reasonCode(await within(rig.peer.closed, 5_000, 'the connection to close'))).toBe(
        ErrorCode.FRAME_TOO_LARGE,
      );
      await rig.stillServing();
    });

    it('closes a connection whose length field is shorter than its header with NET_ERR_FRAME_CORRUPT', async () => {
      const rig = await faultRig(ctx, () =>
        jsonCodec<Seq>({ framer: lengthFieldFramer({ lengthIncludesHeader: true }) }),
      );
      await rig.raw.write(Uint8Array.of(0, 0, 0, 2, 9, 9));
      expect(reasonCode(await within(rig.peer.closed, 5_000, 'the connection to close'))).toBe(ErrorCode.FRAME_CORRUPT);
      await rig.stillServing();
    });

    it('closes a client whose service sends a frame over its limit (client side of NET_ERR_FRAME_TOO_LARGE)', async () => {
      const svc = await ctx.bind<Seq, Seq>({ codec: jsonLength() });
      const [clt, peer] = await Promise.all([
        ctx.connect<Seq, Seq>(svc.port, { codec: jsonCodec<Seq>({ framing: 'length', maxFrameLength: 1024 }) }),
        svc.accept(5_000),
      ]);
      ctx.track(peer);
      await peer.send({ seq: 1 });
      await peer.send({ seq: 2, text: 'z'.repeat(5_000) });
      expect(await clt.recv(5_000)).toEqual({ seq: 1 });
      expect(await rejectionCode(clt.recv(5_000))).toBe(ErrorCode.FRAME_TOO_LARGE);
      expect(reasonCode(await within(clt.closed, 5_000, 'the client to close'))).toBe(ErrorCode.FRAME_TOO_LARGE);
      await within(peer.closed, 5_000, 'the service side to see the close');
    });

    it('reports an undecodable frame once with NET_ERR_DECODE, then delivers the next valid message', async () => {
      const rig = await faultRig(ctx, jsonLines);
      await rig.raw.write(utf8('{"seq":0}\nnot json\n{"seq":1}\n'));
      await rig.raw.write(joinBytes([Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d, 0x0a), utf8('{"seq":2}\n')]));
      expect(await rig.peer.recv(5_000)).toEqual({ seq: 0 });
      expect(await rejectionCode(rig.peer.recv(5_000))).toBe(ErrorCode.DECODE);
      expect(await rig.peer.recv(5_000)).toEqual({ seq: 1 });
      expect(await rejectionCode(rig.peer.recv(5_000))).toBe(ErrorCode.DECODE);
      expect(await rig.peer.recv(5_000)).toEqual({ seq: 2 });
      // The connection is still open and aligned.
      await rig.raw.write(utf8('{"seq":3}\n'));
      expect(await rig.peer.recv(5_000)).toEqual({ seq: 3 });
      expect(rig.peer.isConnected()).toBe(true);
      await rig.stillServing();
    });

    it('reports an undecodable frame on the client side and through the service pool the same way', async () => {
      // A service speaking raw lines to a JSON client, and a client speaking raw lines to a pool.
      const lines = () => bytesCodec({ copy: true, framer: delimiterFramer({ delimiter: '\n' }) });
      const svc = await ctx.bind<Seq, Seq>({ codec: jsonLines() });
      const linesSvc = await ctx.bind<Uint8Array, Uint8Array>({ codec: lines() });
      const [clt, linesPeer] = await Promise.all([
        ctx.connect<Seq, Seq>(linesSvc.port, { codec: jsonLines() }),
        linesSvc.accept(5_000),
      ]);
      ctx.track(linesPeer);
      await linesPeer.send(utf8('{"seq":1'));
      await linesPeer.send(utf8('{"seq":2}'));
      expect(await rejectionCode(clt.recv(5_000))).toBe(ErrorCode.DECODE);
      expect(await clt.recv(5_000)).toEqual({ seq: 2 });
      const [rawClt] = await Promise.all([
        ctx.connect<Uint8Array, Uint8Array>(svc.port, { codec: lines() }),
        svc.acceptIntoPool(5_000),
      ]);
      await rawClt.send(utf8('[1,'));
      await rawClt.send(utf8('{"seq":3}'));
      expect(await rejectionCode(svc.recvFrom(5_000))).toBe(ErrorCode.DECODE);
      expect((await svc.recvFrom(5_000))?.message).toEqual({ seq: 3 });
    });

    it('ends a stream cut inside a frame with NET_ERR_TRUNCATED, delivering nothing half (service side)', async () => {
      const rig = await faultRig(ctx, jsonLength);
      const whole = frame({ seq: 0 });
      const cut = frame({ seq: 1, text: 'h'.repeat(100) });
      await rig.raw.write(joinBytes([whole, cut.subarray(0, 50)]));
      await rig.raw.end();
      expect(await rig.peer.recv(5_000)).toEqual({ seq: 0 });
      expect(await rejectionCode(rig.peer.recv(5_000))).toBe(ErrorCode.TRUNCATED);
      expect(reasonCode(await within(rig.peer.closed, 5_000, 'the connection to close'))).toBe(ErrorCode.TRUNCATED);
      await rig.stillServing();
    });

    it('ends a stream cut inside a frame with NET_ERR_TRUNCATED on the client side', async () => {
      const { port } = await rawListen(ctx, (raw) => {
        void raw.write(joinBytes([utf8('{"seq":0}\n{"seq":1,"text":"never ends')])).then(() => raw.end());
      });
      const clt = await ctx.connect<Seq, Seq>(port, { codec: jsonLines() });
      expect(await clt.recv(5_000)).toEqual({ seq: 0 });
      expect(await rejectionCode(clt.recv(5_000))).toBe(ErrorCode.TRUNCATED);
      expect(reasonCode(await within(clt.closed, 5_000, 'the client to close'))).toBe(ErrorCode.TRUNCATED);
    });

    it('survives garbage: every garbage line is one NET_ERR_DECODE, the cut tail NET_ERR_TRUNCATED, nothing delivered', async () => {
      const rig = await faultRig(ctx, jsonLines);
      const random = seededRandom(0xdecaf);
      const parts: Uint8Array[] = [];
      const lineCount = 20;
      for (let line = 0; line < lineCount; line++) {
        // Bytes 0x80-0xff are never valid UTF-8 on their own, so no line can decode by chance.
        const length = 1 + Math.floor(random() * 60);
        parts.push(
          Uint8Array.from({ length }, () => 0x80 + Math.floor(random() * 0x80)),
          Uint8Array.of(0x0a),
        );
      }
      parts.push(Uint8Array.of(0xc3, 0x28, 0xa0));
      await rig.raw.writeInPieces(joinBytes(parts), [7, 1, 33, 2, 64]);
      await rig.raw.end();
      const codes: string[] = [];
      for (let i = 0; i < lineCount + 1; i++) codes.push(await rejectionCode(rig.peer.recv(5_000)));
      expect(codes).toEqual([...Array<string>(lineCount).fill(ErrorCode.DECODE), ErrorCode.TRUNCATED]);
      await rig.stillServing();
    });

    it('reports a peer reset as NET_ERR_PEER_RESET on the connection; the service keeps serving', async () => {
      const rig = await faultRig(ctx, jsonLength);
      await rig.raw.write(frame({ seq: 0 }));
      expect(await rig.peer.recv(5_000)).toEqual({ seq: 0 });
      rig.raw.socket.resetAndDestroy();
      expect(reasonCode(await within(rig.peer.closed, 5_000, 'the connection to close'))).toBe(ErrorCode.PEER_RESET);
      expect(await rejectionCode(rig.peer.recv(1_000))).toBe(ErrorCode.PEER_RESET);
      await rig.stillServing();
    });
  });
}
