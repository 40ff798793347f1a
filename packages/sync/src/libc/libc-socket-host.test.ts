import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../../test-support/cleanups.mjs';
import { type Endpoint, ErrorCode } from '@net/core';
import { createDescriptorIo } from '../descriptor-io.js';
import { WOULD_BLOCK_IO } from '../node-internals.js';
import { libc } from './load-libc.js';
import { LibcSocketHost } from './libc-socket-host.js';
import { LibcSockets } from './libc-sockets.js';
import { thrownBy as thrown } from '../test-support/thrown-by.js';

// The socket host of a runtime that calls the C library directly. These run where that is so (Bun
// on Linux: CI runs the suites there); on Node, whose path is the broker thread, they are skipped.
const PATIENCE_MS = 10_000;
const CONNECT = { noDelay: true, keepAlive: false, blocking: false, timeoutMs: PATIENCE_MS };
const hosts: LibcSocketHost[] = [];
const cleanups = new Cleanups();
afterEach(() => cleanups.run());

function newHost(): LibcSocketHost {
  const host = new LibcSocketHost(new LibcSockets(libc!));
  hosts.push(host);
  return host;
}

function listening(host: LibcSocketHost, endpoint: Endpoint = { kind: 'tcp', host: '127.0.0.1', port: 0 }) {
  const { serverId, local } = host.listen(endpoint, { backlog: 16, noDelay: true, blocking: false });
  cleanups.add(() => host.unlisten(serverId));
  return { serverId, local };
}

/** A connected pair through `host`: the client end and the accepted end. */
function pair(host: LibcSocketHost) {
  const { serverId, local } = listening(host);
  const client = host.connect(local, CONNECT);
  cleanups.add(() => host.close(client.fd, true));
  let server = host.takeAccepted(serverId);
  for (
    const deadline = performance.now() + PATIENCE_MS;
    server === undefined && performance.now() < deadline;
    server = host.takeAccepted(serverId)
  ) {
    host.waitForEvent(host.eventCount, 10);
  }
  if (server === undefined) throw new Error('nothing accepted');
  const accepted = server;
  cleanups.add(() => host.close(accepted.fd, true));
  return { serverId, local, client, server: accepted };
}

function write(fd: number, text: string): void {
  const bytes = new TextEncoder().encode(text);
  expect(createDescriptorIo(fd).write(bytes, 0, bytes.length)).toBe(bytes.length);
}

/** The watch report of `fd`, parking on the host's events as a receive would; fails the test after a while without one. */
function awaitReport(host: LibcSocketHost, fd: number) {
  for (const deadline = performance.now() + PATIENCE_MS; ;) {
    const seen = host.eventCount;
    const report = host.takeWatchReport(fd);
    if (report !== undefined) return report;
    if (performance.now() >= deadline) throw new Error(`no watch report for ${fd}`);
    host.waitForEvent(seen, 100);
  }
}

describe.skipIf(libc === undefined)('the socket host over the C library', () => {
  it('listens, connects and accepts, with both ends addressed, and reads and writes through the C library', () => {
    const host = newHost();
    const { local, client, server } = pair(host);
    expect(local).toMatchObject({ kind: 'tcp', host: '127.0.0.1' });
    expect((local as { port: number }).port).toBeGreaterThan(0);
    expect(client.peer).toEqual(local);
    expect(server.peer).toEqual(client.local);
    const io = createDescriptorIo(server.fd);
    expect(io.path).toBe('ffi');
    const buffer = new Uint8Array(16);
    expect(io.read(buffer, 0, 16)).toBe(WOULD_BLOCK_IO);
    write(client.fd, 'ping');
    host.watch(server.fd);
    // The report carries the first bytes, read for the connection as the broker thread does on Node.
    const report = awaitReport(host, server.fd);
    expect(report.kind).toBe('data');
    expect(new TextDecoder().decode((report as { bytes: Uint8Array }).bytes)).toBe('ping');
    expect(io.read(buffer, 0, 16)).toBe(WOULD_BLOCK_IO);
  });

  it('reports the end of a watched stream, and unwatch leaves later bytes for the reader', () => {
    const host = newHost();
    const { client, server } = pair(host);
    host.watch(server.fd);
    host.unwatch(server.fd);
    write(client.fd, 'later');
    const buffer = new Uint8Array(16);
    const io = createDescriptorIo(server.fd);
    let count = io.read(buffer, 0, 16);
    for (
      const deadline = performance.now() + PATIENCE_MS;
      count === WOULD_BLOCK_IO && performance.now() < deadline;
      count = io.read(buffer, 0, 16)
    );
    expect(new TextDecoder().decode(buffer.subarray(0, count))).toBe('later');
    expect(host.takeWatchReport(server.fd)).toBeUndefined();
    host.watch(server.fd);
    // A graceful close: its FIN ends the watched stream.
    host.close(client.fd);
    expect(awaitReport(host, server.fd)).toEqual({ kind: 'eof' });
  });

  it('waits for an event with no time limit (Infinity), and returns once a connection is waiting', () => {
    const host = newHost();
    const { serverId, local } = listening(host);
    const seen = host.eventCount;
    const client = host.connect(local, CONNECT);
    cleanups.add(() => host.close(client.fd, true));
    // Every interface takes poll's timeout as a C int: an unbounded wait must still be one (Deno refuses Infinity).
    host.waitForEvent(seen, Infinity);
    const server = host.takeAccepted(serverId);
    expect(server).toBeDefined();
    cleanups.add(() => host.close(server!.fd, true));
  });

  it('refuses a closed port and a port in use with their codes', () => {
    const host = newHost();
    const { local } = listening(host);
    expect(thrown(() => host.listen(local, { backlog: 1, noDelay: true, blocking: false })).code).toBe(
      ErrorCode.SOCKET,
    );
    const other = newHost();
    const { serverId, local: gone } = other.listen(
      { kind: 'tcp', host: '127.0.0.1', port: 0 },
      { backlog: 1, noDelay: true, blocking: false },
    );
    other.unlisten(serverId);
    expect(thrown(() => host.connect(gone, CONNECT)).code).toBe(ErrorCode.NOT_CONNECTED);
  });

  it('listens on a Unix socket, and removes its file when it stops', () => {
    const dir = mkdtempSync(join(tmpdir(), 'net-libc-'));
    cleanups.add(() => rmSync(dir, { recursive: true, force: true }));
    const host = newHost();
    const path = join(dir, 's.sock');
    const { serverId, local } = host.listen({ kind: 'unix', path }, { backlog: 4, noDelay: false, blocking: false });
    expect(local).toEqual({ kind: 'unix', path });
    const client = host.connect(local, CONNECT);
    host.close(client.fd, true);
    host.unlisten(serverId);
    expect(existsSync(path)).toBe(false);
  });

  it('switches a descriptor between modes, and counts what it holds and what it closed', () => {
    const host = newHost();
    const { client, server } = pair(host);
    host.setBlocking(server.fd, true);
    write(client.fd, 'x');
    const buffer = new Uint8Array(4);
    // Blocking now: the read waits for the byte instead of saying would-block.
    expect(createDescriptorIo(server.fd).read(buffer, 0, 4)).toBe(1);
    host.setBlocking(server.fd, false);
    expect(createDescriptorIo(server.fd).read(buffer, 0, 4)).toBe(WOULD_BLOCK_IO);
    const before = host.stats();
    expect(before.servers).toBe(1);
    expect(before.sockets).toBeGreaterThanOrEqual(2);
    host.close(server.fd, true);
    expect(host.stats().closed).toBe(before.closed + 1);
  });
});
