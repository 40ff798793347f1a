import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../../test-support/cleanups.mjs';
import { createDescriptorIo } from '../descriptor-io.js';
import { libc } from '../libc/load-libc.js';
import { LibcSocketHost } from '../libc/libc-socket-host.js';
import { LibcSockets } from '../libc/libc-sockets.js';
import { WOULD_BLOCK_IO } from '../node-internals.js';
import { settleHost } from './settle-host.js';

// What a service thread on the C-library path does with its graceful closes before it ends. These
// run where the runtime calls the C library (Node 26, Bun, Deno); on Node 20 they are skipped.
const PATIENCE_MS = 10_000;
const CONNECT = { noDelay: true, keepAlive: false, blocking: false, timeoutMs: PATIENCE_MS };
const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** A host whose parks can be forbidden: a thread's end that parks is one waiting for its peers. */
class NoParkHost extends LibcSocketHost {
  parkRefused = false;

  override waitForEvent(seen: number, timeoutMs: number): void {
    if (this.parkRefused) throw new Error('parked for a peer');
    super.waitForEvent(seen, timeoutMs);
  }
}

/** A connection from `clients` accepted by `server`: the client's and the accepted descriptor. */
function pair(server: LibcSocketHost, clients: LibcSocketHost): { client: number; accepted: number } {
  const { serverId, local } = server.listen(
    { kind: 'tcp', host: '127.0.0.1', port: 0 },
    { backlog: 4, noDelay: true, blocking: false },
  );
  cleanups.add(() => server.unlisten(serverId));
  const client = clients.connect(local, CONNECT).fd;
  cleanups.add(() => clients.close(client, true));
  for (const deadline = performance.now() + PATIENCE_MS; performance.now() < deadline;) {
    const accepted = server.takeAccepted(serverId);
    if (accepted !== undefined) return { client, accepted: accepted.fd };
    server.waitForEvent(server.eventCount, 10);
  }
  throw new Error('nothing accepted');
}

/** Writes `bytes` until the socket takes no more (its peer is not reading); returns how many went. */
function writeUntilFull(fd: number, bytes: Uint8Array): number {
  const io = createDescriptorIo(fd);
  let total = 0;
  for (let i = 0; i < 10_000; i++) {
    const count = io.write(bytes, 0, bytes.length);
    if (count === 0) break;
    total += count;
  }
  return total;
}

/** Reads `fd` to its end; returns how many bytes came. Fails on a reset or after a while. */
function readToEnd(fd: number, parkOn: LibcSocketHost): number {
  const io = createDescriptorIo(fd);
  const buffer = new Uint8Array(64 * 1024);
  let total = 0;
  for (const deadline = performance.now() + PATIENCE_MS; performance.now() < deadline;) {
    const count = io.read(buffer, 0, buffer.length);
    if (count === 0) return total;
    if (count === WOULD_BLOCK_IO) {
      parkOn.watch(fd);
      parkOn.waitForEvent(parkOn.eventCount, 10);
      parkOn.takeWatchReport(fd);
      continue;
    }
    total += count;
  }
  throw new Error(`no end of stream after ${String(total)} bytes`);
}

describe.skipIf(libc === undefined)("a service thread's end on the C-library path", () => {
  it('closes a descriptor whose peer keeps its side open without parking for it, and the peer still gets every byte written, then the end', () => {
    const server = new NoParkHost(new LibcSockets(libc!));
    const clients = new LibcSocketHost(new LibcSockets(libc!));
    const { client, accepted } = pair(server, clients);
    // Unread bytes on a descriptor make its close a reset; the close must read them first.
    expect(createDescriptorIo(client).write(new Uint8Array(100), 0, 100)).toBe(100);
    // More than the kernel buffers take while the peer is not reading: some is still queued at the close.
    const written = writeUntilFull(accepted, new Uint8Array(64 * 1024).fill(7));
    expect(written).toBeGreaterThan(0);
    server.close(accepted);
    expect(server.stats().sockets).toBe(1);
    // Sent after the FIN, before the thread ends: the peer has not read the end yet.
    expect(createDescriptorIo(client).write(new Uint8Array(10), 0, 10)).toBe(10);
    server.parkRefused = true;
    settleHost(server);
    expect(server.stats()).toMatchObject({ sockets: 0, closed: 1 });
    expect(readToEnd(client, clients)).toBe(written);
  });
});
