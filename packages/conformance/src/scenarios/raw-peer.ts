import { connect, createServer, type Server, type Socket } from 'node:net';
import { LOOPBACK, type SuiteContext } from './context.js';
import { nextTurn } from './helpers.js';

/**
 * A plain `node:net` socket playing the other side of a flavour: it writes exactly the bytes a
 * scenario gives it (valid frames in odd pieces, oversized headers, garbage, half a frame) and
 * records what it gets back and how it ends.
 */
export class RawPeer {
  readonly socket: Socket;
  /** Settles when the socket closed, with whether it ended in an error. */
  readonly closed: Promise<{ hadError: boolean }>;
  /** Settles when the peer's FIN (or the close) arrived. */
  readonly ended: Promise<void>;
  private readonly _received: Buffer[] = [];

  constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    // A raw peer may be cut off by the service; the error is expected and shows in `closed`.
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => this._received.push(chunk));
    this.closed = new Promise((resolve) => socket.once('close', (hadError: boolean) => resolve({ hadError })));
    this.ended = new Promise((resolve) => {
      socket.once('end', () => resolve());
      socket.once('close', () => resolve());
    });
  }

  /** Everything received so far. */
  received(): Buffer {
    return Buffer.concat(this._received);
  }

  /** Writes `bytes` and resolves once the socket took them (rejects if the socket failed). */
  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }

  /**
   * Writes `bytes` in pieces of the given sizes (cycled), one piece per event-loop turn so that
   * the pieces reach the other side as separate reads as far as the kernel allows.
   */
  async writeInPieces(bytes: Uint8Array, sizes: readonly number[]): Promise<void> {
    let at = 0;
    for (let i = 0; at < bytes.length; i++) {
      const size = Math.max(1, sizes[i % sizes.length]);
      await this.write(bytes.subarray(at, Math.min(bytes.length, at + size)));
      at += size;
      await nextTurn();
    }
  }

  /** Sends FIN after everything written. */
  end(): Promise<void> {
    return new Promise((resolve) => this.socket.end(() => resolve()));
  }

  /** Closes the socket at once. */
  destroy(): void {
    this.socket.destroy();
  }
}

/** Connects a raw peer to `port` on loopback; it is destroyed after the test. */
export function rawConnect(ctx: SuiteContext, port: number): Promise<RawPeer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: LOOPBACK, port });
    const peer = new RawPeer(socket);
    ctx.defer('raw peer', () => socket.destroy());
    socket.once('connect', () => resolve(peer));
    socket.once('error', reject);
  });
}

/** A raw `node:net` listener; each connection is handed to `onPeer`. Closed after the test. */
export async function rawListen(
  ctx: SuiteContext,
  onPeer: (peer: RawPeer) => void,
): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onPeer(new RawPeer(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  ctx.defer('raw listener', () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0 };
}

/** A u32 big-endian length prefix followed by `body`: the frame of the default length framer. */
export function u32Frame(body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(4 + body.length);
  new DataView(frame.buffer).setUint32(0, body.length);
  frame.set(body, 4);
  return frame;
}

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Joins byte arrays into one. */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
