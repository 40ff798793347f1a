import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { type Codec, MessageReader, MessageWriter } from '@net/core';
import type { DemoProtocol } from './protocols.js';

/**
 * The send side of one socket: a {@link MessageWriter} whose frames are written with one
 * `socket.write` per flush.
 *
 * `socket.write` does not copy: when the kernel does not take every byte at once the socket keeps
 * a reference to the writer's buffer until the write completes, so the buffer must not be reused
 * before then. After the write, `writableLength === 0` tells that the kernel took everything
 * (the usual case for a small message on an idle socket): the buffer is cleared and reused. Otherwise
 * this sender moves on to a fresh writer and returns the old one's buffer to the pool when the
 * write completes.
 */
export class SocketSender<M> {
  private _writer: MessageWriter<M>;

  constructor(
    private readonly _socket: Socket,
    private readonly _codec: Codec<M, unknown>,
  ) {
    this._writer = new MessageWriter(_codec, { initialCapacity: 4096 });
  }

  /** Encodes `message` into the pending output and returns its length on the wire. */
  write(message: M): number {
    return this._writer.write(message);
  }

  /** Writes the pending output to the socket. */
  flush(): void {
    const writer = this._writer;
    const out = writer.out;
    if (out.position === 0) return;
    let retained = false;
    this._socket.write(out.bytes.subarray(0, out.position), () => {
      if (retained) writer.release();
    });
    if (this._socket.writableLength === 0) {
      out.clear();
    } else {
      retained = true;
      this._writer = new MessageWriter(this._codec, { initialCapacity: 4096 });
    }
  }

  /** Gives the writer's buffer back to its pool. */
  release(): void {
    this._writer.release();
  }
}

/** A running echo-style server: every request is answered with `protocol.reply(request)`. */
export interface PongServer {
  readonly host: string;
  readonly port: number;
  /** Stops listening, ends every connection and resolves when all are closed. */
  close(): Promise<void>;
}

/** Starts a pong server on `host`, port 0 (a free port chosen by the system) unless given one. */
export async function startPongServer(
  protocol: DemoProtocol<unknown>,
  host = '127.0.0.1',
  port = 0,
): Promise<PongServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const reader = new MessageReader(protocol.codec);
    const sender = new SocketSender(socket, protocol.codec);
    socket.on('data', (chunk: Buffer) => {
      reader.accumulator.push(chunk);
      let request: unknown;
      try {
        while ((request = reader.next()) !== undefined) sender.write(protocol.reply(request));
      } catch (error) {
        socket.destroy(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      sender.flush();
    });
    socket.on('end', () => socket.end());
    socket.on('error', () => {
      // The client went away abruptly; 'close' follows and cleans up.
    });
    socket.on('close', () => {
      sockets.delete(socket);
      sender.release();
    });
  });
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
  return {
    host,
    port: address.port,
    async close() {
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      for (const socket of sockets) socket.end();
      await closed;
    },
  };
}

/** Connects to a pong server with Nagle's algorithm off. */
export async function connectClient(host: string, port: number): Promise<Socket> {
  const socket = connect({ host, port, noDelay: true });
  await once(socket, 'connect');
  socket.setNoDelay(true);
  return socket;
}

/** Options of {@link runPingPong}. */
export interface PingPongOptions {
  /** Round trips that are measured. */
  readonly count: number;
  /** Round trips before those, to warm the JIT up; not measured. Default 0. */
  readonly warmup?: number;
}

/** What {@link runPingPong} measured. */
export interface PingPongResult {
  /** Measured round trips (warm-up excluded). */
  readonly count: number;
  /** Replies of every round trip, warm-up included, that were not the right answer to their request. */
  readonly mismatches: number;
  /** Replies received, warm-up included. */
  readonly replies: number;
  /** Round-trip times in nanoseconds, from just before encoding a request to just after decoding its reply. */
  readonly histogram: RecordableHistogram;
  /** Wall time of the measured round trips, in nanoseconds. */
  readonly totalNs: bigint;
  /** Bytes on the wire of the first request frame. */
  readonly requestFrameBytes: number;
}

/**
 * The client side of the demo: sends `warmup + count` requests one at a time over `socket`, waiting
 * for each reply before sending the next, and measures every round trip. Resolves when the last
 * reply is in (the socket stays open); rejects when the socket fails, closes early or the peer
 * sends more than was asked for.
 */
export function runPingPong<M>(
  socket: Socket,
  protocol: DemoProtocol<M>,
  options: PingPongOptions,
): Promise<PingPongResult> {
  const warmup = options.warmup ?? 0;
  const total = warmup + options.count;
  const reader = new MessageReader(protocol.codec);
  const sender = new SocketSender(socket, protocol.codec);
  const histogram = createHistogram();
  let seq = 0;
  let mismatches = 0;
  let request: M;
  let sentAt = 0n;
  let startedAt = 0n;
  let requestFrameBytes = 0;

  return new Promise<PingPongResult>((resolve, reject) => {
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      sender.release();
    };
    const fail = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const send = (): void => {
      if (seq === warmup) startedAt = process.hrtime.bigint();
      sentAt = process.hrtime.bigint();
      request = protocol.request(seq);
      const length = sender.write(request);
      if (seq === 0) requestFrameBytes = length;
      sender.flush();
    };
    const onData = (chunk: Buffer): void => {
      reader.accumulator.push(chunk);
      let reply: M | undefined;
      try {
        while ((reply = reader.next()) !== undefined) {
          const now = process.hrtime.bigint();
          if (seq >= total) {
            fail(new Error(`the server sent a reply nobody asked for (after ${total} replies)`));
            return;
          }
          if (!protocol.matches(request, reply)) mismatches++;
          if (seq >= warmup) histogram.record(Number(now - sentAt));
          seq++;
          if (seq < total) {
            send();
          } else {
            cleanup();
            resolve({
              count: options.count,
              mismatches,
              replies: seq,
              histogram,
              totalNs: now - startedAt,
              requestFrameBytes,
            });
            return;
          }
        }
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const onError = (error: Error): void => fail(error);
    const onClose = (): void => fail(new Error(`the connection closed after ${seq} of ${total} replies`));
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    if (total === 0) {
      cleanup();
      resolve({ count: 0, mismatches: 0, replies: 0, histogram, totalNs: 0n, requestFrameBytes: 0 });
      return;
    }
    send();
  });
}

/** Ends `socket` and resolves when it is fully closed. */
export async function closeSocket(socket: Socket): Promise<void> {
  if (socket.closed) return;
  const closed = once(socket, 'close');
  socket.end();
  await closed;
}
