import type { Codec, NetError } from '@net/core';
import type { DescriptorIo } from './descriptor-io.js';
import { IdleWatch, type WatchBroker } from './idle-watch.js';
import { MessageReceiver, READ_BUFFER_BYTES, type ReceiverPort } from './message-receiver.js';
import { WOULD_BLOCK_IO } from './node-internals.js';
import type { InboundWhileSending } from './ready-wait.js';
import { END_OF_STREAM, type RecvResult, WOULD_BLOCK } from './status.js';

/** What a {@link ReadSide} uses of its connection: the lifecycle it reports to, and the descriptor's reads. */
export interface ReadPort<Recv> extends ReceiverPort<Recv> {
  /** The protocol's side: it sees every message first and every byte read. */
  readonly driver: { received(message: Recv): boolean; bytesReceived(): void };
  /** True until the connection is closed. */
  readonly isOpen: boolean;
  /** Why the connection closed, if it closed with an error. */
  readonly reason: NetError | undefined;
  /**
   * The descriptor's reads and writes, checked at every call.
   * @throws NetError `NET_ERR_CLOSED` once the connection is closed or its broker stopped
   */
  usableIo(): DescriptorIo;
  /** The peer ended the stream. */
  endOfStream(): void;
}

/**
 * The reading side of one synchronous connection: the read loop on the descriptor, the bytes it
 * buffers and decodes (its {@link MessageReceiver}), and the idle watch that stands in for reads
 * while nothing comes. The connection keeps the lifecycle; this keeps everything a reader holds,
 * so that it can be handed over whole.
 */
export class ReadSide<Recv> {
  /** Bytes to messages, in order. */
  readonly receiver: MessageReceiver<Recv>;
  /** The broker's watch of the idle descriptor. */
  readonly watch: IdleWatch;
  private readonly _port: ReadPort<Recv>;
  // The end of the stream, or a read error, met by a read made while a send waited: the next
  // receive reports it once the bytes before it are taken, as if it had been met then.
  private _heldEnd: NetError | typeof END_OF_STREAM | undefined;
  // True while a send that waits ends a watch: an end in its report is held, as one read then.
  private _sending = false;

  constructor(codec: Codec<unknown, Recv>, broker: WatchBroker, fd: number, port: ReadPort<Recv>) {
    this._port = port;
    this.receiver = new MessageReceiver(codec, port);
    this.watch = new IdleWatch(broker, fd, {
      conId: port.conId,
      feed: (bytes) => this.feed(bytes),
      feedCopy: (bytes, offset, length) => this.feedCopy(bytes, offset, length),
      endOfStream: () => (this._sending ? void (this._heldEnd ??= END_OF_STREAM) : port.endOfStream()),
      close: (reason) => (this._sending ? void (this._heldEnd ??= reason) : port.close(reason)),
    });
  }

  /**
   * Takes in what the peer sent while a send on this thread waits for room, without decoding it:
   * the next receives decode it first, their protocol hooks run then, and an end met here waits
   * for them. A peer that streams to us while we stream to it on one thread can then finish the
   * frame it is writing, and so take ours. Bounded by the receive buffer's limit: once full, or
   * once the stream ended, nothing more is taken in until the user receives.
   * @throws NetError `NET_ERR_CLOSED` once the connection is closed or its broker stopped
   */
  readWhileSending(): InboundWhileSending {
    if (this._heldEnd !== undefined) return 'stopped';
    const accumulator = this.receiver.accumulator;
    // Bytes fed as a chunk (a watch report) move into the buffer, so that reads can go on behind them.
    if (!accumulator.absorbChunk()) return 'stopped';
    if (this.watch.active) {
      this._sending = true;
      try {
        this.watch.stop();
      } finally {
        this._sending = false;
      }
      if (this._heldEnd !== undefined || !accumulator.absorbChunk()) return 'stopped';
    }
    if (accumulator.end - accumulator.start + READ_BUFFER_BYTES > accumulator.maxCapacity) return 'stopped';
    const io = this._port.usableIo();
    const room = accumulator.reserve();
    let count: number;
    try {
      count = io.read(accumulator.buffer, accumulator.end, room);
    } catch (error) {
      this._heldEnd = error as NetError;
      return 'stopped';
    }
    if (count === WOULD_BLOCK_IO) return 'nothing';
    this.watch.sawActivity();
    if (count === 0) {
      this._heldEnd = END_OF_STREAM;
      return 'stopped';
    }
    this._port.driver.bytesReceived();
    accumulator.commit(count);
    return 'read';
  }

  /**
   * Reports an end held by {@link readWhileSending}, once everything before it was taken: true
   * when the stream ended (the connection is closed now), false when none is held.
   * @throws NetError the read error held (the connection is closed with it)
   */
  takeHeldEnd(): boolean {
    const end = this._heldEnd;
    if (end === undefined) return false;
    this._heldEnd = undefined;
    if (end === END_OF_STREAM) {
      this._port.endOfStream();
      return true;
    }
    this._port.close(end);
    throw end;
  }

  /** See `SyncConnection.recvOnce`. */
  recvOnce(watchAfterIdlePolls: number, watchAfterIdleMs = 0): RecvResult<Recv> {
    if (this.watch.active && !this.watch.takeReport()) return WOULD_BLOCK;
    const port = this._port;
    const receiver = this.receiver;
    for (;;) {
      const message = receiver.next();
      if (message !== undefined) return message;
      if (!port.isOpen) {
        if (port.reason !== undefined) throw port.reason;
        return END_OF_STREAM;
      }
      if (this.takeHeldEnd()) continue;
      const accumulator = receiver.accumulator;
      const room = accumulator.reserve();
      let count: number;
      try {
        count = port.usableIo().read(accumulator.buffer, accumulator.end, room);
      } catch (error) {
        port.close(error as NetError);
        throw error;
      }
      if (count === WOULD_BLOCK_IO) {
        this.watch.idlePoll(watchAfterIdlePolls, watchAfterIdleMs);
        return WOULD_BLOCK;
      }
      this.watch.sawActivity();
      if (count === 0) {
        port.endOfStream();
        continue;
      }
      port.driver.bytesReceived();
      accumulator.commit(count);
    }
  }

  /**
   * Takes out what is buffered and not yet handed out (the reader moves to another thread): the
   * raw bytes, and a message given back with `unread`.
   */
  takeBuffered(): { bytes: Uint8Array; held: { message: Recv } | undefined } {
    const accumulator = this.receiver.accumulator;
    // Every frame of a fed chunk is decoded before the next call, so what is left is in the buffer.
    const bytes = accumulator.buffer.slice(accumulator.start, accumulator.end);
    const held = this.receiver.takeHeld();
    accumulator.clear();
    return { bytes, held };
  }

  /** Takes bytes that arrived another way (a watch report) as if read. */
  feed(bytes: Uint8Array): void {
    this._port.driver.bytesReceived();
    this.receiver.feed(bytes);
  }

  /**
   * Takes `bytes[offset, offset + length)`, which are written again once this returns (a watch
   * report in the broker's shared area), as if read: copied into the receive buffer.
   */
  feedCopy(bytes: Uint8Array, offset: number, length: number): void {
    this._port.driver.bytesReceived();
    this.receiver.feedCopy(bytes, offset, length);
  }
}
