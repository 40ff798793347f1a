export { ErrorCode } from './errors/error-codes.js';
export { NetError, type NetErrorOptions } from './errors/net-error.js';
export { hexPreview, HEX_PREVIEW_BYTES } from './errors/hex-preview.js';

export { type Framer, NEED_MORE, DEFAULT_MAX_FRAME_LENGTH, MAX_FRAME_LENGTH_LIMIT } from './framing/framer.js';
export { FixedSizeFramer, fixedSizeFramer } from './framing/fixed-size-framer.js';
export { DelimiterFramer, delimiterFramer, type DelimiterFramerOptions } from './framing/delimiter-framer.js';
export {
  LengthFieldFramer,
  lengthFieldFramer,
  type LengthFieldFramerOptions,
  type LengthFieldLength,
} from './framing/length-field-framer.js';

export { BufferPool, defaultBufferPool, type BufferPoolOptions, type BufferPoolStats } from './buffers/buffer-pool.js';
export { ByteWriter, type ByteWriterOptions } from './buffers/byte-writer.js';
export { FrameAccumulator, type FrameAccumulatorOptions } from './buffers/frame-accumulator.js';

export type { Codec, FrameSlice } from './codecs/codec.js';
export { MessageReader } from './codecs/message-reader.js';
export { MessageWriter } from './codecs/message-writer.js';
export { BytesCodec, bytesCodec, type BytesCodecOptions } from './codecs/bytes-codec.js';
export { JsonCodec, jsonCodec, type JsonCodecOptions } from './codecs/json-codec.js';
