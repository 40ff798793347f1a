export { checkSyncSocketSupport, detachDescriptor, readSome, setDescriptorBlocking, WOULD_BLOCK_IO, writeSome } from './node-internals.js';
export { type BrokeredSocket, SocketBroker, socketBroker, type WatchReport } from './socket-broker.js';
