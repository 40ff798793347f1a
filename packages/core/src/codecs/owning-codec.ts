import type { ByteWriter } from '../buffers/byte-writer.js';
import type { Framer } from '../framing/framer.js';
import type { Codec, FrameSlice } from './codec.js';

/**
 * Wraps a codec whose messages borrow the frame's bytes (`borrowsFrame`) so that each decoded
 * message owns a private copy instead: for flavours that queue messages past the read that
 * produced them. A codec with `forConnection` makes its own owning instance. Codecs that do not borrow are returned unchanged, so the copy is paid only where
 * it is needed.
 */
export function owningCodec<Send, Recv>(codec: Codec<Send, Recv>): Codec<Send, Recv> {
  // A codec with per-connection state knows best how to own its messages (a view codec gives each
  // queued message its own view).
  if (codec.forConnection !== undefined) return codec.forConnection(true);
  return codec.borrowsFrame === true ? new OwningCodec(codec) : codec;
}

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);

/** The copying wrapper {@link owningCodec} makes; a codec's own `forConnection(true)` may make one too. */
export class OwningCodec<Send, Recv> implements Codec<Send, Recv> {
  readonly framer: Framer;
  readonly borrowsFrame = false;
  // The copy below always gets a view, so the reader need not make one per chunk for it.
  readonly usesView: boolean;
  private readonly _inner: Codec<Send, Recv>;
  private readonly _frame: FrameSlice = { bytes: EMPTY, view: EMPTY_VIEW, offset: 0, length: 0, stable: true };

  /** Wraps `inner`, whose messages borrow the frame's bytes. */
  constructor(inner: Codec<Send, Recv>) {
    this._inner = inner;
    this.framer = inner.framer;
    this.usesView = inner.usesView !== false;
  }

  /** Encodes as the wrapped codec does. */
  encode(message: Send, out: ByteWriter): void {
    this._inner.encode(message, out);
  }

  /** The connection closed: the wrapped codec lets go of what it lent out. */
  release(): void {
    this._inner.release?.();
  }

  /** Decodes a private copy of the frame (or the frame itself when nothing will overwrite it). */
  decode(frame: FrameSlice): Recv {
    // A frame in bytes that nobody will overwrite can be borrowed as it is.
    if (frame.stable === true) return this._inner.decode(frame);
    // Node's pooled allocation: far cheaper than a fresh ArrayBuffer per message.
    const copy = Buffer.allocUnsafe(frame.length);
    copy.set(frame.bytes.subarray(frame.offset, frame.offset + frame.length));
    const owned = this._frame;
    owned.bytes = copy;
    owned.view = this.usesView ? new DataView(copy.buffer, copy.byteOffset, copy.length) : EMPTY_VIEW;
    owned.length = frame.length;
    return this._inner.decode(owned);
  }
}
