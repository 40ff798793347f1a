// A service thread's handler: echoes every message; `{ turns: true }` is answered with the thread's
// count of turns that found a connection without a message.
import { emptyTurns } from '@net/sync/internal';
import { defineHandler, jsonCodec } from '../../dist/index.js';

export default defineHandler({
  codec: jsonCodec(),
  onMessage(message, conn) {
    conn.send(message.turns === true ? { n: message.n, empty: emptyTurns.count } : message);
  },
});
