// The threaded service's handler for the conformance runs: echoes every message, and closes the
// connection from the service's side on `{ close: true }`.
import { defineHandler, jsonCodec } from '@net/nonblocking';

export default defineHandler({
  codec: jsonCodec(),
  onMessage(message, conn) {
    if (message.close === true) conn.close();
    else conn.send(message);
  },
});
