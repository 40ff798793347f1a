export { ErrorCode } from './errors/error-codes.js';
export { NetError, type NetErrorOptions } from './errors/net-error.js';
export { hexPreview, HEX_PREVIEW_BYTES } from './errors/hex-preview.js';
export { fromSocketError } from './errors/system-error.js';

export { type Framer, NEED_MORE, DEFAULT_MAX_FRAME_LENGTH, MAX_FRAME_LENGTH_LIMIT } from './framing/framer.js';
export { FixedSizeFramer, fixedSizeFramer } from './framing/fixed-size-framer.js';
export { describeFramer, type FramerDescription, framerFromDescription } from './framing/framer-description.js';
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
export { owningCodec } from './codecs/owning-codec.js';
export { BytesCodec, bytesCodec, type BytesCodecOptions } from './codecs/bytes-codec.js';
export { JsonCodec, jsonCodec, type JsonCodecOptions } from './codecs/json-codec.js';

export * from './limits.js';
export type { CommonConnectionOptions } from './options/common-connection-options.js';

export type { Callbacks, CallbackEvent } from './callbacks/callbacks.js';
export { type Logger, type LogLevel, LOG_LEVEL_ORDER, silentLogger, defaultLogger } from './callbacks/logger.js';
export { LoggerCallback, type LoggerCallbackOptions } from './callbacks/logger-callback.js';
export { CounterCallback } from './callbacks/counter-callback.js';
export {
  ChainCallback,
  chainCallbacks,
  type ChainCallbackOptions,
  type CallbackErrorHandler,
} from './callbacks/chain-callback.js';
export { DevNullCallback, devNullCallback } from './callbacks/dev-null-callback.js';
export {
  MessageStore,
  DEFAULT_STORE_CAPACITY,
  type MessageStoreOptions,
  type StoreEntry,
  type StoreDirection,
  type EntryPredicate,
  type FindOptions,
} from './callbacks/message-store.js';
export { StoreCallback, type StoreCallbackOptions, type IntoCanonical } from './callbacks/store-callback.js';

export {
  type Endpoint,
  type TcpEndpoint,
  type UnixEndpoint,
  type AddressInput,
  parseEndpoint,
  formatEndpoint,
} from './connection/endpoint.js';
export { type HostLookup, resolveEndpoint } from './connection/resolve-endpoint.js';
export { isRetryable } from './connection/connect-retry.js';
export { ConId, type ConnectionRole } from './connection/con-id.js';
export type { Received } from './connection/received.js';
export { END_OF_STREAM, type EndOfStream } from './connection/end-of-stream.js';
export { WOULD_BLOCK } from './connection/would-block.js';

export { type Protocol, type ProtocolSender, HandshakeStep } from './protocol/protocol.js';
export { ConnectionState, SessionState } from './protocol/protocol-state.js';
export { MessageLog } from './protocol/message-log.js';

export {
  Timer,
  defaultTimer,
  TaskResult,
  type TimerTask,
  type TimerOptions,
  type ScheduleOptions,
  type Clock,
  type TimerErrorHandler,
  type RetryAfter,
  type TaskFunction,
} from './timer/index.js';
export {
  RoundRobinPool,
  MAX_POOL_CAPACITY,
  ConnectionGate,
  MAX_CONNECTIONS_LIMIT,
  type GateSlot,
} from './pool/index.js';

export {
  ascii,
  bool,
  bytes,
  bytesRest,
  f32,
  f64,
  i8,
  i16,
  i32,
  i53,
  i64,
  struct,
  structCodec,
  StructCodec,
  structViewCodec,
  StructViewCodec,
  u8,
  u16,
  u32,
  u53,
  u64,
  union,
  utf8,
  type AsciiOptions,
  type ByteOrder,
  type BytesField,
  type DuplexLayouts,
  type Field,
  type FieldKind,
  type FieldValue,
  type FieldView,
  type Fields,
  type InferMessage,
  type MessageLayout,
  type MessageView,
  type RestField,
  type ScalarField,
  type ScalarKind,
  type StructCodecOptions,
  type StructLayout,
  type StructOptions,
  type StructValue,
  type StructViewCodecOptions,
  type TagKind,
  type TagValue,
  type TextField,
  type TextPadding,
  type UnionCase,
  type UnionLayout,
  type UnionOptions,
  type UnionValue,
  type Utf8Options,
  type Variants,
  type ViewMethods,
} from './codecs/struct/index.js';

export { FrameInbox, type FrameInboxOptions, type InboxRole, type SharedFrameInbox } from './inbox/frame-inbox.js';
export { InboxConsumer } from './inbox/inbox-consumer.js';
export { InboxProducer } from './inbox/inbox-producer.js';
export { InboxReceiverBase, type InboxReceiverOptions } from './inbox/inbox-receiver-base.js';
