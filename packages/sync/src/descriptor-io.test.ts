import { fstatSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { ErrorCode } from '@net/core';
import { createDescriptorIo, type DescriptorIo, WASI_IO_BYTES } from './descriptor-io.js';
import { detachDescriptor, WOULD_BLOCK_IO } from './node-internals.js';
import { socketHostKind } from './shared-broker.js';

interface Pair {
  readonly server: Server;
  /** Our side, detached: only the test reads and writes its descriptor. */
  readonly ours: Socket;
  readonly fd: number;
  /** The peer, left to libuv and the event loop. */
  readonly peer: Socket;
}

const cleanups = new Cleanups();

async function connectedPair(): Promise<Pair> {
  const server = createServer();
  cleanups.add(() => new Promise((resolve) => server.close(resolve)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const address = server.address() as { port: number };
  const ours = connect(address.port, '127.0.0.1');
  cleanups.add(() => ours.destroy());
  await new Promise<void>((resolve) => ours.once('connect', resolve));
  const peer = await accepted;
  cleanups.add(() => peer.destroy());
  return { server, ours, fd: detachDescriptor(ours), peer };
}

/** Reads until `wanted` bytes came or 5 s passed, letting the event loop run between attempts. */
async function readAll(io: DescriptorIo, wanted: number): Promise<Buffer> {
  const into = Buffer.alloc(wanted);
  let got = 0;
  const deadline = performance.now() + 5_000;
  while (got < wanted && performance.now() < deadline) {
    const count = io.read(into, got, wanted - got);
    if (count === 0) break;
    if (count > 0) got += count;
    else await new Promise((resolve) => setImmediate(resolve));
  }
  return into.subarray(0, got);
}

/** Reads until the read gives something other than would-block, or 5 s passed. */
async function readOutcome(io: DescriptorIo): Promise<number> {
  const into = Buffer.alloc(64);
  const deadline = performance.now() + 5_000;
  for (;;) {
    const count = io.read(into, 0, into.length);
    if (count !== WOULD_BLOCK_IO || performance.now() >= deadline) return count;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

afterEach(async () => {
  await cleanups.run();
  vi.unstubAllEnvs();
});

// The broker thread and WASI are the Node path; a runtime that calls the C library directly uses neither.
describe.skipIf(socketHostKind() !== 'broker')('non-blocking descriptor reads and writes', () => {
  it('go through WASI on this Node, and say would-block instead of throwing on an empty socket', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    const { fd } = await connectedPair();
    const io = createDescriptorIo(fd);
    expect(io.path).toBe('wasi');
    expect(io.read(Buffer.alloc(16), 0, 16)).toBe(WOULD_BLOCK_IO);
    // Warnings are emitted on a later tick: give them the chance, then check none is about WASI.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(warnings.filter((text) => /WASI/.test(text))).toEqual([]);
  });

  it('carry bytes both ways, at any offset, and larger than the scratch area in several steps', async () => {
    const { fd, peer } = await connectedPair();
    const io = createDescriptorIo(fd);
    const echoed: Buffer[] = [];
    peer.on('data', (chunk: Buffer) => echoed.push(chunk));

    const frame = Buffer.from('..hello over wasi..');
    let written = 0;
    while (written < 15) written += io.write(frame, 2 + written, 15 - written);
    const deadline = performance.now() + 5_000;
    while (Buffer.concat(echoed).length < 15 && performance.now() < deadline)
      await new Promise((resolve) => setImmediate(resolve));
    expect(Buffer.concat(echoed).toString()).toBe('hello over wasi');

    const big = Buffer.alloc(WASI_IO_BYTES + 10_000);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    peer.write(big);
    const got = await readAll(io, big.length);
    expect(got.length).toBe(big.length);
    expect(got.equals(big)).toBe(true);
  });

  it('give 0 once the peer closed cleanly, and a coded error when it reset the connection', async () => {
    const closing = await connectedPair();
    closing.peer.end();
    expect(await readOutcome(createDescriptorIo(closing.fd))).toBe(0);

    const resetting = await connectedPair();
    const io = createDescriptorIo(resetting.fd);
    resetting.peer.resetAndDestroy();
    await expect(readOutcome(io)).rejects.toMatchObject({ code: ErrorCode.PEER_RESET });
  });

  it('never close the descriptor when their WASI objects are collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { fd, peer } = await connectedPair();
    for (let i = 0; i < 200; i++) createDescriptorIo(fd).read(Buffer.alloc(8), 0, 8);
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(fstatSync(fd).isSocket()).toBe(true);
    peer.write('still here');
    expect((await readAll(createDescriptorIo(fd), 10)).toString()).toBe('still here');
  });

  it('take the fs path when NET_SYNC_READ=fs, with the same contract', async () => {
    vi.stubEnv('NET_SYNC_READ', 'fs');
    vi.resetModules();
    const fresh = await import('./descriptor-io.js');
    const { fd, peer } = await connectedPair();
    const io = fresh.createDescriptorIo(fd);
    expect(io.path).toBe('fs');
    expect(io.read(Buffer.alloc(16), 0, 16)).toBe(WOULD_BLOCK_IO);
    peer.write('via fs');
    expect((await readAll(io, 6)).toString()).toBe('via fs');
    expect(io.write(Buffer.from('ok'), 0, 2)).toBe(2);
  });
});
