import type { SocketBroker } from './socket-broker.js';

/**
 * What the synchronous flavours need from whatever holds their sockets: listening, connecting,
 * accepting, mode switches, closing, and watching idle descriptors with a counter a thread can
 * park on. On Node it is the broker thread (`SocketBroker`); on a runtime that calls the C library
 * directly it is `LibcSocketHost`, on the calling thread.
 */
export type SocketHost = Pick<
  SocketBroker,
  | 'stopped'
  | 'checkStopped'
  | 'eventCount'
  | 'waitForEvent'
  | 'whenEvent'
  | 'connect'
  | 'beginConnect'
  | 'pollConnect'
  | 'listen'
  | 'unlisten'
  | 'takeAccepted'
  | 'close'
  | 'setBlocking'
  | 'watch'
  | 'unwatch'
  | 'takeWatchReport'
  | 'stats'
  | 'drain'
  | 'endShared'
  | 'forget'
>;
