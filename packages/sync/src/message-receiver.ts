import { type Codec, ErrorCode, type FrameAccumulator, MessageReader, NetError } from '@net/core';
import { copyInto } from './fed-copy.js';
import { ReusedView } from './reused-view.js';

/** First size of a connection's input buffer, and the least room a read is given, in bytes. */
export const READ_BUFFER_BYTES = 16 * 1024;

/** What a {@link MessageReceiver} uses of its connection. */
export interface ReceiverPort<Recv> {
  /** The connection's id, for error messages. */
  readonly conId: { toString(): string };
  /** The protocol's side of the connection (its `ConnectionDriver`), which sees every message first. */
  readonly driver: { received(message: Recv): boolean };
  /** Ends the connection with `reason`: the stream can no longer be decoded, or the protocol failed. */
  close(reason: NetError): void;
}

/**
 * The receive side of one synchronous connection, short of the reads themselves: bytes in, the
 * user's messages out, in order. Each decoded message goes to the protocol first, which keeps the
 * handshake's own and may answer others; a message given back with {@link unread} comes out
 * before anything else. A frame that does not decode fails that receive only; a broken stream or a
 * failing protocol hook ends the connection.
 */
export class MessageReceiver<Recv> {
  /** Where reads put their bytes: reserve room, read into `buffer` at `end`, commit the count. */
  readonly accumulator: FrameAccumulator;
  private readonly _reader: MessageReader<Recv>;
  private readonly _port: ReceiverPort<Recv>;
  // The view a fed copy is made from (see `fed-copy.ts`).
  private readonly _copyView = new ReusedView();
  // What came after the handshake's last message in the same read (a message, or a frame that did
  // not decode), given back so that the next receive hands it out first. Boxed: any value, even a
  // falsy one, is a message.
  private _heldBack: { readonly message: Recv } | { readonly error: NetError } | undefined;

  constructor(codec: Codec<unknown, Recv>, port: ReceiverPort<Recv>) {
    this._reader = new MessageReader(codec, { initialCapacity: READ_BUFFER_BYTES, minReadSize: READ_BUFFER_BYTES });
    this.accumulator = this._reader.accumulator;
    this._port = port;
  }

  /**
   * The next message for the user from what is buffered, or `undefined` when more bytes are needed.
   * @throws NetError a decode error (the next call goes on), or what ended the connection
   */
  next(): Recv | undefined {
    const held = this._heldBack;
    if (held !== undefined) {
      this._heldBack = undefined;
      if ('error' in held) throw held.error;
      return held.message;
    }
    for (;;) {
      let message: Recv | undefined;
      try {
        message = this._reader.next();
      } catch (error) {
        const netError = error as NetError;
        if (netError.code !== ErrorCode.DECODE) this._port.close(netError);
        throw netError;
      }
      if (message === undefined) return undefined;
      let deliver: boolean;
      try {
        deliver = this._port.driver.received(message);
      } catch (error) {
        this._port.close(error as NetError);
        throw error;
      }
      if (deliver) return message;
    }
  }

  /** Gives `message` back: the next {@link next} returns it before anything else. */
  unread(message: Recv): void {
    this._heldBack = { message };
  }

  /**
   * Gives back a decode error met where nobody could report it (right after the handshake's last
   * message): the next {@link next} throws it before anything else, then goes on as after any
   * decode error.
   */
  unreadError(error: NetError): void {
    this._heldBack = { error };
  }

  /**
   * Takes bytes that arrived another way (a watch report) as if they had been read: whole frames
   * in them are decoded in place, only a frame cut at their end is copied.
   */
  feed(bytes: Uint8Array): void {
    this.accumulator.push(bytes);
  }

  /**
   * Takes `bytes[offset, offset + length)` as if they had been read into the receive buffer: they
   * are copied there, as a read would have put them (the caller writes over them next).
   */
  feedCopy(bytes: Uint8Array, offset: number, length: number): void {
    copyInto(this.accumulator, this._copyView, bytes, offset, length);
  }

  /**
   * How a stream that ends now ends: `NET_ERR_TRUNCATED` when it ends inside a frame, nothing when
   * it ends between frames (a clean end).
   */
  endReason(): NetError | undefined {
    const pending = this.accumulator.pending;
    if (pending <= 0) return undefined;
    return new NetError(
      ErrorCode.TRUNCATED,
      `${String(this._port.conId)}: the stream ended inside a frame (${pending} bytes dropped)`,
      { details: { pendingBytes: pending } },
    );
  }

  /** Takes out a message given back with {@link unread}, if one waits (a held error stays). */
  takeHeld(): { message: Recv } | undefined {
    const held = this._heldBack;
    if (held === undefined || 'error' in held) return undefined;
    this._heldBack = undefined;
    return held;
  }

  /** Drops every buffered byte (the connection closed). */
  clear(): void {
    this.accumulator.clear();
    // The connection is gone: views the codec lent out expire.
    this._reader.release();
  }
}
