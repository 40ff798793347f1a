import { MessageWriter } from '@net/core';
import type { SyncConnection } from '../sync-connection.js';

/**
 * A connection's heartbeat as another thread runs it: the framed bytes of one beat, encoded once on
 * the thread that has the protocol, and when to send them and give up on a silent peer.
 */
export interface HeartbeatTransfer {
  /** One beat's frames, as the connection's codec writes them (empty: the beat sends nothing). */
  readonly frame: Uint8Array;
  /** The protocol's `heartbeatInterval`, in ms. */
  readonly intervalMs: number;
  /** The protocol's `peerSilenceIntervals` (0: no silence check). */
  readonly silenceIntervals: number;
}

/**
 * What a receiving half carries of its connection's heartbeat: its bytes, `'varies'` when two beats
 * encode differently (a sequence number, a time: bytes made once cannot stand for every beat, so
 * the giving thread keeps beating), or `undefined` when the protocol has no heartbeat.
 */
export type HeartbeatHandOver = HeartbeatTransfer | 'varies' | undefined;

/**
 * Encodes `connection`'s heartbeat for another thread: `sendHeartbeat` runs twice with a sender
 * that only collects, and the two beats' frames must be the same bytes. The protocol's `onSend`
 * and `onSent` do not run for these beats, neither here nor when they are written.
 * @throws NetError `NET_ERR_PROTOCOL` when `sendHeartbeat` threw, and the codec's encode errors
 */
export function takeHeartbeat<Send, Recv>(connection: SyncConnection<Send, Recv>): HeartbeatHandOver {
  const settings = connection.driver.heartbeat;
  if (settings === undefined) return undefined;
  const first = encodeBeat(connection);
  const second = encodeBeat(connection);
  if (first.length !== second.length || first.some((byte, i) => byte !== second[i])) return 'varies';
  return { frame: first, intervalMs: settings.interval, silenceIntervals: settings.silenceIntervals };
}

function encodeBeat<Send, Recv>(connection: SyncConnection<Send, Recv>): Uint8Array {
  const writer = new MessageWriter<Send>(connection.codec);
  try {
    for (const message of connection.driver.captureHeartbeat()) writer.write(message);
    // A copy: the writer's buffer may be a pooled Node Buffer, whose slice() shares its memory.
    const frame = new Uint8Array(writer.out.position);
    frame.set(writer.out.bytes.subarray(0, writer.out.position));
    return frame;
  } finally {
    writer.release();
  }
}
