// A service thread's handler: echoes every message; `{ throw: true }` makes it throw, `{ exit: true }`
// ends its thread; `{ who: true }` is answered with the thread's number.
import { defineHandler, jsonCodec } from '../../dist/index.js';

export default defineHandler({
  codec: jsonCodec(),
  onMessage(message, conn) {
    if (message.throw === true) throw new Error('refused by the handler');
    if (message.exit === true) process.exit(3);
    conn.send(message.who === true ? { thread: conn.thread } : message);
  },
});
