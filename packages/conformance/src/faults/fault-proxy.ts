import { createServer, connect, type Server, type Socket } from 'node:net';
import { seededRandom } from '../scenarios/helpers.js';

/** Which way bytes travel through the proxy. */
export type Direction = 'toService' | 'toClient';

/** How the proxy cuts what it forwards into writes. */
export type Segmenting =
  | { readonly kind: 'whole' }
  | { readonly kind: 'bytes' }
  | { readonly kind: 'random'; readonly max: number; readonly seed: number };

interface Link {
  readonly client: Socket;
  readonly service: Socket;
}

interface Lane {
  readonly from: Socket;
  readonly to: Socket;
  readonly direction: Direction;
  readonly queue: Buffer[];
  pumping: boolean;
}

/**
 * A TCP proxy for fault injection, placed between a client and a service on loopback: it can
 * split the stream into 1-byte or random-size writes, delay each write, stop forwarding while
 * keeping both sockets open (a black hole), close one side after part of the next chunk (mid-frame)
 * with FIN or RST, and corrupt one byte. Settings apply to every connection through it, from the
 * next byte on; order within a direction is always kept.
 */
export class FaultProxy {
  /** The port clients connect to. */
  port = 0;
  /** How forwarded bytes are cut into writes. */
  segmenting: Segmenting = { kind: 'whole' };
  /** Pause before each write, in ms (0: none). */
  delayMs = 0;
  /** While true, bytes are read and dropped in both directions; the sockets stay open. */
  blackHole = false;
  /** When each connection through the proxy was accepted (`performance.now()`), in order. */
  readonly acceptedAt: number[] = [];
  private readonly _server: Server;
  private readonly _links = new Set<Link>();
  private _random: () => number = Math.random;
  private _corrupt: { direction: Direction; at: number } | undefined;
  private _cut: { direction: Direction; keep: number; how: 'fin' | 'rst' } | undefined;

  private constructor(private readonly _upstream: number) {
    this._server = createServer((client) => this._accept(client));
  }

  /** A proxy on an ephemeral loopback port in front of the service on `upstreamPort`. */
  static async start(upstreamPort: number): Promise<FaultProxy> {
    const proxy = new FaultProxy(upstreamPort);
    await new Promise<void>((resolve) => proxy._server.listen(0, '127.0.0.1', resolve));
    const address = proxy._server.address();
    proxy.port = typeof address === 'object' && address !== null ? address.port : 0;
    return proxy;
  }

  /** Cuts forwarded bytes as `segmenting` says; a seeded random cut repeats run to run. */
  segment(segmenting: Segmenting): void {
    this.segmenting = segmenting;
    if (segmenting.kind === 'random') this._random = seededRandom(segmenting.seed);
  }

  /** Flips every bit of the byte `at` bytes into the next chunk going `direction`. */
  corruptNext(direction: Direction, at = 0): void {
    this._corrupt = { direction, at };
  }

  /**
   * Forwards only the first `keep` bytes of the next chunk going `direction`, then closes the
   * receiving side's socket with FIN (`end`; the sending side is closed plainly) or RST (both sides
   * reset).
   */
  cutNext(direction: Direction, keep: number, how: 'fin' | 'rst'): void {
    this._cut = { direction, keep, how };
  }

  /** Closes the listener and every connection through it. */
  async close(): Promise<void> {
    for (const link of this._links) {
      link.client.destroy();
      link.service.destroy();
    }
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }

  private _accept(client: Socket): void {
    this.acceptedAt.push(performance.now());
    const service = connect(this._upstream, '127.0.0.1');
    const link = { client, service };
    this._links.add(link);
    for (const socket of [client, service]) {
      socket.setNoDelay(true);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        // Inside a black hole nothing gets through, a close neither: the other side stays open
        // until it gives up by itself (or the proxy closes).
        if (this.blackHole) return;
        this._links.delete(link);
        client.destroy();
        service.destroy();
      });
    }
    this._lane({ from: client, to: service, direction: 'toService', queue: [], pumping: false });
    this._lane({ from: service, to: client, direction: 'toClient', queue: [], pumping: false });
  }

  private _lane(lane: Lane): void {
    lane.from.on('data', (chunk: Buffer) => {
      if (this.blackHole) return;
      lane.queue.push(this._inject(lane, Buffer.from(chunk)));
      void this._pump(lane);
    });
    lane.from.on('end', () => {
      if (this.blackHole) return;
      lane.queue.push(Buffer.alloc(0));
      void this._pump(lane);
    });
  }

  /** Applies a pending corruption or cut to a chunk entering `lane`. */
  private _inject(lane: Lane, chunk: Buffer): Buffer {
    const corrupt = this._corrupt;
    if (corrupt?.direction === lane.direction && corrupt.at < chunk.length) {
      chunk[corrupt.at] = chunk[corrupt.at] ^ 0xff;
      this._corrupt = undefined;
    }
    const cut = this._cut;
    if (cut?.direction === lane.direction) {
      this._cut = undefined;
      const kept = chunk.subarray(0, Math.min(cut.keep, chunk.length));
      lane.to.write(kept, () => {
        if (cut.how === 'rst') {
          lane.to.resetAndDestroy();
          lane.from.resetAndDestroy();
        } else {
          lane.to.end();
          lane.from.destroy();
        }
      });
      return Buffer.alloc(0);
    }
    return chunk;
  }

  /** Writes a lane's queue in order, segmented and delayed as set; an empty chunk means end. */
  private async _pump(lane: Lane): Promise<void> {
    if (lane.pumping) return;
    lane.pumping = true;
    try {
      for (let chunk = lane.queue.shift(); chunk !== undefined; chunk = lane.queue.shift()) {
        if (chunk.length === 0) {
          if (!lane.to.destroyed && lane.from.readableEnded) lane.to.end();
          continue;
        }
        for (let at = 0; at < chunk.length;) {
          const size = this._segmentSize(chunk.length - at);
          if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
          if (lane.to.destroyed) return;
          if (!lane.to.write(chunk.subarray(at, at + size)))
            await new Promise((resolve) => lane.to.once('drain', resolve).once('close', resolve));
          at += size;
        }
      }
    } finally {
      lane.pumping = false;
    }
  }

  private _segmentSize(left: number): number {
    const segmenting = this.segmenting;
    if (segmenting.kind === 'bytes') return 1;
    if (segmenting.kind === 'random') return Math.min(left, 1 + Math.floor(this._random() * segmenting.max));
    return left;
  }
}
