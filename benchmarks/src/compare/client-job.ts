import type { CodecName, Mode, NodeSubject, Transport } from './protocol.js';

/** What one client run is asked to do. */
export interface ClientJob {
  readonly subject: NodeSubject;
  readonly transport: Transport;
  /** A port (tcp), a path (unix) or zeromq's two endpoints. */
  readonly address: string;
  readonly mode: Mode;
  readonly size: number;
  readonly count: number;
  readonly warmup: number;
  /** Offered messages per second (fixed-rate mode). */
  readonly rate: number;
  /** The flavours' codec (the other subjects always send bytes). */
  readonly codec: CodecName;
  /** Connections doing round trips at once (ping-pong mode). */
  readonly connections: number;
  /** The measured part ends after this many ms even if `count` is not reached. */
  readonly budgetMs: number;
}

/** Frames a stream client hands over in one call where the subject takes several (sendMany, a packed write). */
export const STREAM_BATCH = 64;

/** Where a Node client connects. */
export const target = (job: ClientJob) => (job.transport === 'tcp' ? { host: '127.0.0.1', port: Number(job.address) } : { path: job.address });
