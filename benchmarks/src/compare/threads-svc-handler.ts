import { bytesCodec, defineHandler } from '@net/nonblocking';

/**
 * The handler module of the threads suite's service rows: every service thread imports it and
 * echoes each message on its connection. Messages are borrowed views, and `send` encodes the
 * reply at once, so nothing is copied per message.
 */
export default defineHandler<Uint8Array, Uint8Array>({
  codec: bytesCodec({ copy: false }),
  onMessage(message, conn) {
    conn.send(message);
  },
});
