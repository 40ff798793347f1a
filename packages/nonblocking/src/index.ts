export { Clt } from './clt.js';
export { CltConnector } from './clt-connector.js';
export { CltReceiver, CltSender } from './clt-halves.js';
export { Svc } from './svc.js';
export { Poller, type PollerOptions, type ReceiverHandlers } from './poller.js';
export type { CltOptions, SvcOptions, ConnectionOptions } from './options.js';
export {
  REJECTED,
  WOULD_BLOCK,
  type AcceptResult,
  type CallOptions,
  type IdleStrategy,
  type Received,
  type RecvResult,
  type SendStatus,
} from '@net/sync';

/** The name of this flavour. */
export const FLAVOUR = 'nonblocking' as const;

// What a user of this flavour meets from `@net/core`, picked by hand (the rest of `@net/core`, and
// `@net/core/internal`, are there for whoever builds on the pieces).
export { ErrorCode, NetError, type NetErrorOptions } from '@net/core';
export {
  type Framer,
  NEED_MORE,
  FixedSizeFramer,
  fixedSizeFramer,
  DelimiterFramer,
  delimiterFramer,
  type DelimiterFramerOptions,
  LengthFieldFramer,
  lengthFieldFramer,
  type LengthFieldFramerOptions,
  type LengthFieldLength,
} from '@net/core';
export {
  type Codec,
  type FrameSlice,
  type ByteWriter,
  owningCodec,
  BytesCodec,
  bytesCodec,
  type BytesCodecOptions,
  JsonCodec,
  jsonCodec,
  type JsonCodecOptions,
} from '@net/core';
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
  type Fields,
  type InferMessage,
  type MessageLayout,
  type RestField,
  type ScalarField,
  type ScalarKind,
  type StructCodecOptions,
  type StructLayout,
  type StructOptions,
  type StructValue,
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
} from '@net/core';
export {
  type Callbacks,
  type CallbackEvent,
  type Logger,
  type LogLevel,
  silentLogger,
  defaultLogger,
  LoggerCallback,
  type LoggerCallbackOptions,
  CounterCallback,
  ChainCallback,
  chainCallbacks,
  type ChainCallbackOptions,
  type CallbackErrorHandler,
  DevNullCallback,
  devNullCallback,
  MessageStore,
  type MessageStoreOptions,
  type StoreEntry,
  type StoreDirection,
  type EntryPredicate,
  type FindOptions,
  StoreCallback,
  type StoreCallbackOptions,
  type IntoCanonical,
} from '@net/core';
export {
  type Endpoint,
  type TcpEndpoint,
  type UnixEndpoint,
  type AddressInput,
  parseEndpoint,
  formatEndpoint,
  ConId,
  type ConnectionRole,
  END_OF_STREAM,
  type EndOfStream,
} from '@net/core';
export {
  type Protocol,
  type ProtocolSender,
  HandshakeStep,
  ConnectionState,
  SessionState,
  MessageLog,
} from '@net/core';
// The `timer` option takes one; building one (a fake clock in tests) is `@net/core`'s business.
export type { Timer } from '@net/core';

// Defaults and limits of the options this flavour takes.
export {
  DEFAULT_BACKLOG,
  DEFAULT_MAX_CONNECTIONS,
  MAX_CONNECTIONS_LIMIT,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_CONNECT_RETRY_AFTER_MS,
  DEFAULT_PEER_SILENCE_INTERVALS,
  DEFAULT_IDLE_TIMEOUT_MS,
  MAX_IDLE_TIMEOUT_MS,
  IDLE_TIMEOUT_CHECKS_PER_TIMEOUT,
  DEFAULT_MAX_FRAME_LENGTH,
  MAX_FRAME_LENGTH_LIMIT,
  DEFAULT_STORE_CAPACITY,
} from '@net/core';
export { DEFAULT_IDLE_POLLS_BEFORE_WATCH, DEFAULT_POLLER_MESSAGES_PER_PASS } from './limits.js';
export { DEFAULT_MAX_BATCH_BYTES, DEFAULT_PROTOCOL_SEND_TIMEOUT_MS, DEFAULT_WRITE_STALL_TIMEOUT_MS } from '@net/sync';
