/**
 * The server half of the ping-pong demo, run as a child process by `ping-pong.js`:
 * `node dist/demo/pong-server.js <codec>`. It listens on 127.0.0.1 port 0, tells its parent the
 * port over the IPC channel, and stops when the parent sends `{ type: 'stop' }` or goes away.
 */
import { parseCodecName, protocolFor } from './protocols.js';
import { startPongServer } from './pong.js';

/** Messages from the parent. */
export interface ParentMessage {
  readonly type: 'stop';
}

/** Messages to the parent. */
export type ChildMessage =
  | { readonly type: 'listening'; readonly port: number; readonly pid: number }
  | { readonly type: 'error'; readonly message: string };

async function main(): Promise<void> {
  if (process.send === undefined)
    throw new Error('pong-server.js is started by ping-pong.js (child_process.fork), not directly');
  const send = (message: ChildMessage): void => {
    process.send?.(message);
  };
  try {
    const server = await startPongServer(protocolFor(parseCodecName(process.argv[2] ?? 'json')));
    let stopping = false;
    const stop = async (): Promise<void> => {
      if (stopping) return;
      stopping = true;
      await server.close();
      if (process.connected) process.disconnect();
    };
    process.on('message', (message: ParentMessage) => {
      if (message.type === 'stop') void stop();
    });
    process.on('disconnect', () => void stop());
    send({ type: 'listening', port: server.port, pid: process.pid });
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    process.exitCode = 1;
    process.disconnect();
  }
}

await main();
