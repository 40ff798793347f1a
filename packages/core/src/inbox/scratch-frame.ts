import type { FrameSlice } from '../codecs/codec.js';
import { WORD_COPY_MAX_BYTES, WordCopy } from './word-copy.js';

/**
 * One fixed place a small frame is copied to before it is decoded, for a decoder whose message is
 * a view of the frame's bytes (the bytes codec's). Such a view is reused only for a frame of the
 * same size at the same place, and an inbox's frames go round its whole memory, so read in place
 * every message would be a new view object; copied here first, a stream of equal-sized messages
 * gets the same view every time. The copy of a 128-byte frame costs less than the view it saves.
 */
export class ScratchFrame {
  /** Frames up to this many bytes are copied; a larger one is decoded where it is. */
  static readonly MAX_BYTES = WORD_COPY_MAX_BYTES;
  private readonly _copy: WordCopy;
  private readonly _slice: FrameSlice;

  constructor() {
    const memory = new ArrayBuffer(ScratchFrame.MAX_BYTES);
    const bytes = new Uint8Array(memory);
    this._copy = new WordCopy(bytes, new Int32Array(memory));
    this._slice = { bytes, view: new DataView(memory), offset: 0, length: 0, stable: false };
  }

  /**
   * `frame` copied to this place (valid until the next call), or `frame` itself when it is larger
   * than {@link MAX_BYTES}.
   */
  take(frame: FrameSlice): FrameSlice {
    const length = frame.length;
    if (length > ScratchFrame.MAX_BYTES) return frame;
    this._copy.copy(frame.bytes, frame.offset, length, 0);
    const slice = this._slice;
    slice.length = length;
    return slice;
  }
}
