import type { ByteWriter } from '../buffers/byte-writer.js';
import type { Framer } from '../framing/framer.js';
import type { Codec, FrameSlice } from './codec.js';

/**
 * Places in one receive buffer whose views are kept. Prime, so that equal-sized frames (at
 * `base + k * stride` after the buffer compacts a frame to its front) fall in distinct slots for
 * any stride that is not a multiple of it: a 32 KiB buffer of 132-byte frames holds 248 of them.
 * It bounds what a streaming connection keeps: this many views of its own buffer at most.
 */
export const BODY_VIEW_SLOTS = 509;

const EMPTY_BUFFER = new ArrayBuffer(0);

/** The codec whose bodies are borrowed: it encodes, and its bodies are views of the frame's bytes. */
export interface BodySource {
  encode(message: Uint8Array, out: ByteWriter): void;
}

/**
 * One connection's borrowed bodies. A view is valid only until the connection reads again, so a
 * view of the same bytes, offset and length may be handed out again: it shows exactly what a new
 * one would. A receive buffer drained between messages puts equal-sized frames at the same place,
 * and a stream of them (many frames per read) at the same few places read after read; so the last
 * view is kept, and once two frames come from one buffer, a view per place (up to
 * {@link BODY_VIEW_SLOTS}). A steady stream then makes no object per message. A connection that
 * only ever has one frame at a time (request and reply) never makes the table.
 */
export class BodyViews implements Codec<Uint8Array, Uint8Array> {
  readonly framer: Framer;
  readonly usesView = false;
  readonly borrowsFrame = true;
  private readonly _source: BodySource;
  private _view: Uint8Array | undefined;
  private _bytes: Uint8Array | undefined;
  private _offset = 0;
  // The views of `_bytes`, by place (offset mod the slot count), and the offset each one starts at.
  private _slots: (Uint8Array | undefined)[] | undefined;
  private _slotOffsets: Int32Array | undefined;
  // The memory behind the bytes views were last made of: reading `buffer` and `byteOffset` of a
  // Buffer costs more than the view itself, so they are read once per chunk, not once per frame.
  private _viewOf: Uint8Array | undefined;
  private _arrayBuffer: ArrayBufferLike = EMPTY_BUFFER;
  private _byteOffset = 0;

  constructor(source: BodySource, framer: Framer) {
    this._source = source;
    this.framer = framer;
  }

  encode(message: Uint8Array, out: ByteWriter): void {
    this._source.encode(message, out);
  }

  decode(frame: FrameSlice): Uint8Array {
    const { bytes, offset, length } = frame;
    const view = this._view;
    if (bytes === this._bytes) {
      if (view !== undefined && offset === this._offset && length === view.length) return view;
      // A chunk that is never reused (`stable`) is never read again: its places are not worth keeping.
      if (frame.stable !== true) return this._fromSlots(frame, offset, length);
    } else if (this._slotOffsets !== undefined) {
      // Another buffer (it grew, or a chunk): views of the last one show nothing of this one.
      this._slotOffsets.fill(-1);
      (this._slots as (Uint8Array | undefined)[]).fill(undefined);
    }
    this._bytes = bytes;
    this._offset = offset;
    return (this._view = this._newView(bytes, offset, length));
  }

  release(): void {
    // A closed connection's receive buffer must not stay reachable through its codec.
    this._view = undefined;
    this._bytes = undefined;
    this._slots = undefined;
    this._slotOffsets = undefined;
    this._viewOf = undefined;
    this._arrayBuffer = EMPTY_BUFFER;
  }

  /** A new view of `length` bytes at `offset` of `bytes`, as the source's decode makes. */
  private _newView(bytes: Uint8Array, offset: number, length: number): Uint8Array {
    if (bytes !== this._viewOf) {
      this._viewOf = bytes;
      this._arrayBuffer = bytes.buffer;
      this._byteOffset = bytes.byteOffset;
    }
    return new Uint8Array(this._arrayBuffer, this._byteOffset + offset, length);
  }

  private _fromSlots(frame: FrameSlice, offset: number, length: number): Uint8Array {
    let offsets = this._slotOffsets;
    let slots = this._slots;
    if (offsets === undefined || slots === undefined) {
      offsets = this._slotOffsets = new Int32Array(BODY_VIEW_SLOTS).fill(-1);
      slots = this._slots = new Array<Uint8Array | undefined>(BODY_VIEW_SLOTS).fill(undefined);
      // The last view joins the table: the next pass over the buffer finds it there.
      const last = this._view;
      if (last !== undefined) {
        offsets[this._offset % BODY_VIEW_SLOTS] = this._offset;
        slots[this._offset % BODY_VIEW_SLOTS] = last;
      }
    }
    const slot = offset % BODY_VIEW_SLOTS;
    let view = slots[slot];
    if (offsets[slot] !== offset || view === undefined || view.length !== length) {
      view = slots[slot] = this._newView(frame.bytes, offset, length);
      offsets[slot] = offset;
    }
    this._offset = offset;
    return (this._view = view);
  }
}
