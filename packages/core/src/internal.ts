/**
 * `@net/core/internal`: the pieces the flavours are built from and a user normally never touches,
 * kept out of `@net/core` (and so out of every flavour's exports) so that the public surface is
 * what the documentation promises. UNSTABLE: anything here may change or go in any release,
 * without a major version; import it only to build a flavour of your own, and pin the version.
 *
 * @packageDocumentation
 */
export { checkIntegerOption } from './options/check-integer-option.js';
export { type ResolvedCommonOptions, resolveCommonOptions } from './options/common-connection-options.js';
export { RingQueue } from './buffers/ring-queue.js';
export { protocolForConnection } from './protocol/protocol.js';
export {
  ConnectionDriver,
  type ConnectionDriverOptions,
  type DriverScheduler,
  type DriverTransport,
  type DriverState,
} from './protocol/connection-driver.js';
export { type ConnectionModelSetup, driverOptionsOf } from './protocol/connection-model-setup.js';
export type { Prettify } from './codecs/struct/index.js';
export { decodeFrame } from './codecs/decode-frame.js';
export { checkTimeout } from './options/check-timeout.js';
export { ConnectAttempts, type ConnectTiming, resolveConnectTiming } from './connection/connect-attempts.js';
export { countBusywaitTimeout } from './callbacks/count-busywait.js';
export { consumerThread, noteConsumerThread } from './inbox/consumer-thread.js';
