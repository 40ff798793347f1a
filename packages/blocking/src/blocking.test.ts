import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { socketHostKind } from '@net/sync';
import { connectionOf } from '@net/sync/internal';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, CounterCallback, ErrorCode, HandshakeStep, jsonCodec, type Protocol, Svc } from './index.js';

type Msg = { n: number; kind?: 'hb' };
const codec = () => jsonCodec<Msg>();

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

describe('blocking Clt and Svc', () => {
  it('ping-pongs with calls that run to completion', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
    for (let n = 0; n < 10_000; n++) {
      clt.send({ n });
      const got = peer.recv();
      peer.send({ n: got!.n * 2 });
      expect(clt.recv()!.n).toBe(n * 2);
    }
    clt.close();
    expect(peer.recv()).toBeUndefined();
  });

  it('does I/O through one path in both modes (WASI on the broker path, the C library where the runtime calls it), switching only the mode', () => {
    // A parked read through WASI allocates nothing; `fs.readSync` made an object per call on Node 20.
    const path = socketHostKind() === 'broker' ? (process.env.NET_SYNC_READ === 'fs' ? 'fs' : 'wasi') : 'ffi';
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    // No spin: an unbounded receive goes straight to a parked read on a blocking descriptor.
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec(), recvSpinMicros: 0 }));
    const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
    peer.send({ n: 1 });
    expect(clt.recv()).toEqual({ n: 1 }); // unbounded: the descriptor is blocking, the read parks
    expect(connectionOf(clt).isBlocking).toBe(true);
    expect(clt.ioPath).toBe(path);
    clt.send({ n: 2 }, { timeout: 5_000 }); // a bounded send needs a non-blocking descriptor
    expect(connectionOf(clt).isBlocking).toBe(false);
    expect(clt.ioPath).toBe(path);
    expect(peer.recv()).toEqual({ n: 2 });
    peer.send({ n: 3 });
    expect(clt.recv()).toEqual({ n: 3 });
    expect(connectionOf(clt).isBlocking).toBe(true);
    expect(clt.ioPath).toBe(path);
    clt.close();
    expect(clt.ioPath).toBeUndefined();
  });

  it('coalesces a batch into one write with sendMany, bounded or not; every frame arrives in order', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
    for (let batch = 0; batch < 50; batch++) {
      const messages = Array.from({ length: 100 }, (_, i) => ({ n: batch * 100 + i }));
      if (batch % 2 === 0) clt.sendMany(messages);
      else clt.sendMany(messages, { timeout: 5_000 });
    }
    for (let n = 0; n < 5_000; n++) expect(peer.recv({ timeout: 5_000 })).toEqual({ n });
  });

  it('takes from the pool fairly: with messages waiting on three connections, every three receives come from all three', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const clients = [0, 1, 2].map(() => {
      const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
      svc.acceptIntoPool({ timeout: 5_000 });
      return clt;
    });
    // Loopback writes land in the peer's receive buffer before they return: all 15 are waiting.
    clients.forEach((clt, from) => {
      for (let n = 0; n < 5; n++) clt.send({ n: from * 10 + n });
    });
    const order: number[] = [];
    for (let i = 0; i < 15; i++) order.push(Math.floor(svc.recvFrom({ timeout: 5_000 }).message.n / 10));
    for (let i = 0; i + 3 <= order.length; i++) expect(new Set(order.slice(i, i + 3)).size, order.join(',')).toBe(3);
  });

  it('splits into halves shared by several holders; the connection closes with the last of them', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
    const { sender, receiver } = clt.split();
    const otherSender = sender.share();
    sender.close();
    expect(() => sender.send({ n: 0 })).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
    otherSender.send({ n: 1 });
    otherSender.sendMany([{ n: 2 }, { n: 3 }], { timeout: 5_000 });
    expect([peer.recv({ timeout: 5_000 }), peer.recv({ timeout: 5_000 }), peer.recv({ timeout: 5_000 })]).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ]);
    peer.send({ n: 4 });
    peer.send({ n: 5 });
    const otherReceiver = receiver.share();
    expect(receiver.recv({ timeout: 5_000 })).toEqual({ n: 4 });
    expect(otherReceiver.recv({ timeout: 5_000 })).toEqual({ n: 5 });
    otherSender.close();
    receiver.close();
    expect(clt.isConnected()).toBe(true);
    otherReceiver.close();
    expect(clt.isConnected()).toBe(false);
    expect(peer.recv({ timeout: 5_000 })).toBeUndefined();
  });

  it('bounds service sends by a timeout option, and refuses a bad one with a coded error', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    const id = svc.acceptIntoPool({ timeout: 5_000 });
    svc.sendTo(id, { n: 1 }, { timeout: 5_000 });
    svc.send({ n: 2 }, { timeout: 5_000 });
    expect([clt.recv({ timeout: 5_000 }), clt.recv({ timeout: 5_000 })]).toEqual([{ n: 1 }, { n: 2 }]);
    expect(() => svc.send({ n: 3 }, { timeout: -1 })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => svc.sendTo(9_999_999, { n: 3 }, { timeout: 5_000 })).toThrow(
      expect.objectContaining({ code: ErrorCode.NOT_CONNECTED }),
    );
  });

  it('times out a recv with a coded error and leaves the connection usable, with nothing delivered late', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
    expect(() => clt.recv({ timeout: 50 })).toThrow(expect.objectContaining({ code: ErrorCode.TIMEOUT }));
    peer.send({ n: 1 });
    peer.send({ n: 2 });
    expect(clt.recv({ timeout: 5_000 })).toEqual({ n: 1 });
    expect(clt.recv()).toEqual({ n: 2 });
    expect(() => clt.recv({ timeout: 20 })).toThrow(expect.objectContaining({ code: ErrorCode.TIMEOUT }));
  });

  it('parks without using CPU, and wakes as soon as data arrives', async () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    // A peer in another process, so that this thread can park with nothing else to do.
    const script = `const s=require('net').connect(${svc.port},'127.0.0.1',()=>{setTimeout(()=>{s.write('{"n":42}\\n');setTimeout(()=>s.end(),200)},2000)});`;
    const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    cleanups.add(() => child.kill());
    const peer = cleanups.close(svc.accept({ timeout: 10_000 }));
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const message = peer.recv();
    const wall = performance.now() - wallBefore;
    const cpu = process.cpuUsage(cpuBefore);
    expect(message).toEqual({ n: 42 });
    // A spin burns CPU for the whole wait (about two seconds); a park only to sleep and to wake.
    // Load lengthens the wait or shortens it (the peer's timer may run while this thread is
    // still accepting) but adds no CPU time to a parked thread: the bound follows the measured
    // wait, with room for the wake-up and the runner's own threads.
    expect((cpu.user + cpu.system) / 1_000).toBeLessThan(wall * 0.05 + 50);
    expect(peer.recv()).toBeUndefined();
  }, 20_000);

  it('sends heartbeats while parked in recv, never more often than their interval', () => {
    const interval = 50;
    const beats: Protocol<Msg, Msg> = {
      heartbeatInterval: interval,
      peerSilenceIntervals: 0,
      sendHeartbeat: (sender) => sender.send({ n: -1, kind: 'hb' }),
    };
    // Taken before the connect, so that every heartbeat is due after it: load can only delay one.
    const started = performance.now();
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
    const counter = new CounterCallback();
    const clt = cleanups.close(
      Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec(), protocol: beats, callbacks: counter }),
    );
    const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
    // Each receive parks for six intervals and runs the due heartbeat before it times out, so
    // three receives send three or more however loaded the machine (bounded: 50 receives).
    for (let i = 0; i < 50 && counter.sentCount < 3; i++) {
      expect(() => clt.recv({ timeout: 300 })).toThrow(expect.objectContaining({ code: ErrorCode.TIMEOUT }));
    }
    const elapsed = performance.now() - started;
    expect(counter.sentCount).toBeGreaterThanOrEqual(3);
    // One heartbeat an interval at most: a slow machine sends fewer, never more.
    expect(counter.sentCount).toBeLessThanOrEqual(Math.floor(elapsed / interval) + 1);
    for (let i = 0; i < counter.sentCount; i++) expect(peer.recv({ timeout: 5_000 })).toEqual({ n: -1, kind: 'hb' });
  });

  it('runs a login handshake on both sides; a wrong password fails with NET_ERR_HANDSHAKE', async () => {
    const server: Protocol<Msg, Msg> = {
      onHandshakeRecv(message, connection) {
        if (message.n !== 1234) throw new Error('bad login');
        connection.send({ n: 0 });
        return HandshakeStep.Done;
      },
    };
    const client = (password: number): Protocol<Msg, Msg> => ({
      onConnect: (connection) => connection.send({ n: password }),
      onHandshakeRecv: (message) => (message.n === 0 ? HandshakeStep.Done : HandshakeStep.Continue),
    });
    // The other side of each handshake runs in its own process, so that this thread may block.
    const peerScript = (code: string) => {
      const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
      cleanups.add(() => child.kill());
      return child;
    };
    const loginServer = peerScript(
      "const net=require('net');const srv=net.createServer(s=>{s.once('data',d=>{if(JSON.parse(d).n===1234)s.write('{\"n\":0}\\n');else s.end()})});" +
        "srv.listen(0,'127.0.0.1',()=>console.log(srv.address().port));setTimeout(()=>process.exit(0),10000)",
    );
    const port = Number(
      await new Promise<string>((resolve) => loginServer.stdout.once('data', (d: Buffer) => resolve(d.toString()))),
    );
    const good = cleanups.close(
      Clt.connect<Msg, Msg>({ port }, { codec: codec(), protocol: client(1234), handshakeTimeout: 2_000 }),
    );
    expect(good.isConnected()).toBe(true);
    good.close();
    expect(() =>
      Clt.connect<Msg, Msg>({ port }, { codec: codec(), protocol: client(1), handshakeTimeout: 2_000 }),
    ).toThrow(expect.objectContaining({ code: ErrorCode.HANDSHAKE }));
    const svc = cleanups.close(
      Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec(), protocol: server, handshakeTimeout: 2_000 }),
    );
    const loginClient = (password: number) =>
      peerScript(
        `const s=require('net').connect(${svc.port},'127.0.0.1',()=>s.write('{"n":${password}}\\n'));s.on('data',d=>process.stdout.write(d));s.on('close',()=>process.exit(0))`,
      );
    const wrong = loginClient(1);
    // The wrong login is refused while accept waits (its peer sees the connection closed);
    // accept itself times out with nothing to hand over, and nothing counts as "full".
    const wrongClosed = new Promise((resolve) => wrong.once('exit', resolve));
    expect(() => svc.accept({ timeout: 1_500 })).toThrow(expect.objectContaining({ code: ErrorCode.TIMEOUT }));
    await wrongClosed;
    expect(svc.rejectedCount).toBe(0);
    const right = loginClient(1234);
    const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
    expect(peer.isConnected()).toBe(true);
    const reply = await new Promise<string>((resolve) =>
      right.stdout.once('data', (d: Buffer) => resolve(d.toString())),
    );
    expect(JSON.parse(reply)).toEqual({ n: 0 });
  }, 20_000);
});
