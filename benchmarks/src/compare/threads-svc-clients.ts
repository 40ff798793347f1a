import { connect, type Socket } from 'node:net';
import { LengthPrefixParser } from './length-prefix.js';
import { type ClientResult, ECHOED } from './protocol.js';
import { Recorder } from './recorder.js';
import { CONNECT_MS } from './threads-roundtrip.js';

/** What the many-connection client of the service rows is asked to do. */
export interface ManyClientsJob {
  readonly port: number;
  readonly size: number;
  /** Connections, each keeping one message in flight. */
  readonly connections: number;
  /** Round trips measured across all connections, after `warmup` that are not. */
  readonly count: number;
  readonly warmup: number;
  readonly budgetMs: number;
}

/**
 * Round trips on many `node:net` connections from one event-loop process, each connection
 * sending its next message as its reply comes, each round trip timed on its own. One event loop
 * drives them all: it sleeps in the kernel while every message is out, so the cores it leaves are
 * the service's, and a wake-up takes the replies of many connections at once. The measured part
 * begins after `warmup` replies over all connections and ends at `count` more (or the time budget);
 * the messages still out then are awaited and counted.
 */
export async function runManyClients(job: ManyClientsJob): Promise<ClientResult> {
  const recorder = new Recorder({ mode: 'pingpong', ...job, rate: 0 });
  const frame = Buffer.alloc(4 + job.size, ECHOED);
  frame.writeUInt32BE(job.size, 0);
  const sockets = await Promise.all(Array.from({ length: job.connections }, () => open(job.port)));
  const sentAt = new Float64Array(job.connections);
  const last = job.warmup + job.count;
  let replies = 0;
  let inFlight = 0;
  let stopping = false;
  let finish: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  if (job.warmup === 0) recorder.start();
  for (const [k, socket] of sockets.entries()) {
    const parser = new LengthPrefixParser(() => {
      inFlight--;
      replies++;
      if (replies > job.warmup) recorder.recordSince(sentAt[k]);
      else if (replies === job.warmup) recorder.start();
      // The budget is looked at every 64 replies: the clock is cheap, but not free.
      if (replies >= last || (replies > job.warmup && (replies & 63) === 0 && recorder.expired())) stopping = true;
      if (stopping) {
        if (inFlight === 0) finish();
        return;
      }
      send(k);
    });
    socket.on('data', (chunk: Buffer) => parser.push(chunk));
    socket.on('error', fail);
    socket.on('close', () => {
      if (!stopping) fail(new Error('the service closed a connection'));
    });
  }
  // The same frame is written every time: it never changes, so a write the kernel deferred is safe.
  const send = (k: number): void => {
    inFlight++;
    sentAt[k] = recorder.now();
    sockets[k].write(frame);
  };
  for (let k = 0; k < sockets.length; k++) send(k);
  await finished;
  recorder.end();
  const result = recorder.result();
  for (const socket of sockets) socket.destroy();
  return result;
}

function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timed out')), CONNECT_MS);
    socket.once('error', reject);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', reject);
      resolve(socket);
    });
  });
}
