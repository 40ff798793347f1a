/**
 * The client program of the @net/async subjects: one `Clt`.
 *
 *   async-client.js [--codec bytes|struct] [--delivery recv|onmessage]
 *
 * `--delivery recv` (default) waits for each reply with `await clt.recv()`; `--delivery onmessage`
 * connects with the `onMessage` option and sends the next request from inside the callback.
 * Sending always goes through `clt.send()` (coalesced per tick) and, when it reports backpressure,
 * `await clt.drained()`.
 *
 * Commands: `connect { address }`; `pingpong { count, firstSeq }`; `blast { count }`; `close`.
 */
import { createHistogram } from 'node:perf_hooks';
import { Clt } from '@net/async';
import { Args } from '../../util/cli.js';
import { serveCommands } from '../harness.js';
import { type BlastResult, nowNs, type PingPongParams, type PingPongRound, REQUEST_MASK, type ServerAddress, summarizeHistogram } from '../workload.js';
import { parseWireCodec, wireFor } from './wire.js';

const args = new Args(process.argv.slice(2), ['codec', 'delivery']);
const wire = wireFor(parseWireCodec(args.string('codec')));
const delivery = args.string('delivery') ?? 'recv';
if (delivery !== 'recv' && delivery !== 'onmessage') throw new Error(`--delivery recv|onmessage, got '${delivery}'`);

const requests = wire.requests;
let clt: Clt<unknown, unknown> | undefined;
/** Where `onMessage` deliveries go; replaced by each command. */
let onReply: (message: unknown) => void = unexpected;
let failure: Error | undefined;

function unexpected(): void {
  failure ??= new Error('a message arrived when none was expected');
}

function connected(): Clt<unknown, unknown> {
  if (clt === undefined) throw new Error('not connected');
  if (failure !== undefined) throw failure;
  return clt;
}

async function pingPongRecv(client: Clt<unknown, unknown>, { count, firstSeq }: PingPongParams): Promise<PingPongRound> {
  const histogram = createHistogram();
  let mismatches = 0;
  const startedAt = process.hrtime.bigint();
  let now = startedAt;
  for (let i = 0; i < count; i++) {
    const request = requests[(firstSeq + i) & REQUEST_MASK];
    const sentAt = process.hrtime.bigint();
    client.send(request);
    const reply = await client.recv();
    now = process.hrtime.bigint();
    if (reply === undefined) throw new Error(`the connection closed after ${i} of ${count} round trips`);
    histogram.record(Number(now - sentAt));
    if (!wire.matches(request, reply)) mismatches++;
  }
  return { latency: summarizeHistogram(histogram), replies: count, mismatches, elapsedNs: Number(now - startedAt) };
}

function pingPongCallback(client: Clt<unknown, unknown>, { count, firstSeq }: PingPongParams): Promise<PingPongRound> {
  const histogram = createHistogram();
  let done = 0;
  let mismatches = 0;
  let request: unknown;
  let sentAt = 0n;
  const send = (): void => {
    request = requests[(firstSeq + done) & REQUEST_MASK];
    sentAt = process.hrtime.bigint();
    client.send(request);
  };
  return new Promise<PingPongRound>((resolve, reject) => {
    const startedAt = process.hrtime.bigint();
    void client.closed.then(() => reject(new Error(`the connection closed after ${done} of ${count} round trips`)));
    onReply = (reply) => {
      const now = process.hrtime.bigint();
      histogram.record(Number(now - sentAt));
      // The reply is a view of the receive buffer, valid in this callback: check it here.
      if (!wire.matches(request, reply)) mismatches++;
      if (++done < count) {
        send();
        return;
      }
      onReply = unexpected;
      resolve({ latency: summarizeHistogram(histogram), replies: done, mismatches, elapsedNs: Number(now - startedAt) });
    };
    send();
  });
}

async function blast(client: Clt<unknown, unknown>, count: number): Promise<BlastResult> {
  let waits = 0;
  const startAt = nowNs();
  for (let i = 0; i < count; i++) {
    if (!client.send(requests[i & REQUEST_MASK])) {
      waits++;
      await client.drained();
    }
  }
  return { sent: count, startAt, sendEndAt: nowNs(), waits };
}

serveCommands({
  connect: async ({ address }: { address: ServerAddress }): Promise<void> => {
    const target = address.transport === 'unix' ? { path: address.path } : { host: address.host, port: address.port };
    clt =
      delivery === 'onmessage'
        ? await Clt.connect(target, { codec: wire.codec, onMessage: (message) => onReply(message) })
        : await Clt.connect(target, { codec: wire.codec });
  },
  pingpong: (params: PingPongParams) => {
    const client = connected();
    return delivery === 'onmessage' ? pingPongCallback(client, params) : pingPongRecv(client, params);
  },
  blast: ({ count }: { count: number }) => blast(connected(), count),
  close: async (): Promise<void> => {
    const client = clt;
    clt = undefined;
    await client?.close();
  },
});
