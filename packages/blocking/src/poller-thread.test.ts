import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, END_OF_STREAM, ErrorCode, InboxReceiver, jsonCodec, PollerThread, Svc } from './index.js';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();
const COUNT = 10_000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

describe('PollerThread from @net/blocking', () => {
  it('reads a blocking client into an inbox whose receiver parks: every message in order, then the end', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
    const poller = PollerThread.start();
    cleanups.add(() => poller.close());
    const { sender, receiver } = clt.split();
    const inbox = InboxReceiver.attach<Msg>(poller.add(receiver, { framer: codec().framer }), { codec: codec() });
    cleanups.add(() => inbox.close());
    // The whole run fits the inbox's 1 MiB: the peer's sends never wait for this thread's receives.
    for (let n = 0; n < COUNT; n++) peer.send({ n });
    for (let n = 0; n < COUNT; n++) expect(inbox.recv({ timeout: 10_000 })).toEqual({ n });
    // The sending half stays here and still works.
    sender.send({ n: -1 });
    expect(peer.recv({ timeout: 10_000 })).toEqual({ n: -1 });
    peer.close();
    expect(inbox.recv({ timeout: 10_000 })).toBe(END_OF_STREAM);
    poller.close();
    expect(() => poller.add(clt.split().receiver, { framer: codec().framer })).toThrow(
      expect.objectContaining({ code: ErrorCode.CLOSED }),
    );
  }, 60_000);

  it('runs the heartbeats of a polled blocking client: a silent peer fails the inbox and closes the connection', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const protocol = {
      heartbeatInterval: 50,
      peerSilenceIntervals: 2,
      sendHeartbeat: (beat: { send(message: Msg): void }) => beat.send({ n: -1 }),
    };
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec(), protocol }));
    const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
    const poller = PollerThread.start();
    cleanups.add(() => poller.close());
    const { sender, receiver } = clt.split();
    const inbox = InboxReceiver.attach<Msg>(poller.add(receiver, { framer: codec().framer }), { codec: codec() });
    cleanups.add(() => inbox.close());
    // The beats come from the poller thread; the peer says nothing back.
    expect(peer.recv({ timeout: 10_000 })).toEqual({ n: -1 });
    expect(() => inbox.recv({ timeout: 20_000 })).toThrow(expect.objectContaining({ code: ErrorCode.PEER_SILENT }));
    expect(() => sender.send({ n: 1 })).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
  }, 60_000);
});
