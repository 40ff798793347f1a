// A service thread's handler that greets each connection with its thread's number as it takes it,
// then echoes.
import { defineHandler, jsonCodec } from '../../dist/index.js';

export default defineHandler({
  codec: jsonCodec(),
  onConnect(conn) {
    conn.send({ n: -1, thread: conn.thread });
  },
  onMessage(message, conn) {
    conn.send(message);
  },
});
