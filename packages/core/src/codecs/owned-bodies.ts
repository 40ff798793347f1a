import type { ByteWriter } from '../buffers/byte-writer.js';
import type { Framer } from '../framing/framer.js';
import { type BodySource, BodyViews } from './body-views.js';
import type { Codec, FrameSlice } from './codec.js';

/**
 * Bodies up to this many bytes are copied byte by byte: `set` needs a view of the source range,
 * an object per message that costs as much as the loop it saves.
 */
export const BYTEWISE_COPY_MAX = 256;

/**
 * One connection's queued bytes bodies, which outlive the read that produced them. A body in a
 * chunk that is never reused (`stable`) is a view of it, as a borrowed one is; any other is its
 * own copy, which is the body itself (no view of the copy on top), made with nothing else per
 * message.
 */
export class OwnedBodies implements Codec<Uint8Array, Uint8Array> {
  readonly framer: Framer;
  readonly usesView = false;
  readonly borrowsFrame = false;
  private readonly _source: BodySource;
  private readonly _views: BodyViews;

  constructor(source: BodySource, framer: Framer) {
    this._source = source;
    this.framer = framer;
    this._views = new BodyViews(source, framer);
  }

  encode(message: Uint8Array, out: ByteWriter): void {
    this._source.encode(message, out);
  }

  decode(frame: FrameSlice): Uint8Array {
    if (frame.stable === true) return this._views.decode(frame);
    const { bytes, offset, length } = frame;
    // Node's pooled allocation: far cheaper than a fresh ArrayBuffer per message.
    const copy = Buffer.allocUnsafe(length);
    if (length <= BYTEWISE_COPY_MAX) {
      for (let i = 0; i < length; i++) copy[i] = bytes[offset + i];
    } else {
      copy.set(bytes.subarray(offset, offset + length));
    }
    return copy;
  }

  release(): void {
    this._views.release();
  }
}
