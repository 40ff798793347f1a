/**
 * The ping-pong demo: a @net/core client and server over real TCP on loopback.
 *
 *   node dist/demo/ping-pong.js [--count 20000] [--codec struct|json|bytes] [--warmup 1000] [--in-process]
 *
 * The server runs in a child process (`pong-server.js`) unless `--in-process`. The client sends
 * one order at a time, waits for the server's reply (the same order marked accepted), checks it,
 * and records the round trip in an HDR histogram (`perf_hooks.createHistogram`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { Args, fixed, grouped, isMain, machineLine } from '../util/cli.js';
import { type CodecName, CODEC_NAMES, defaultCodecName, parseCodecName, protocolFor } from './protocols.js';
import {
  closeSocket,
  connectClient,
  type PingPongResult,
  type PongServer,
  runPingPong,
  startPongServer,
} from './pong.js';
import type { ChildMessage, ParentMessage } from './pong-server.js';

const HOST = '127.0.0.1';
const USAGE = `usage: ping-pong [--count N] [--warmup N] [--codec ${CODEC_NAMES.join('|')}] [--in-process]`;

/** Options of {@link pingPongDemo}. */
export interface DemoOptions {
  readonly count: number;
  readonly warmup: number;
  readonly codec: CodecName;
  /** Run the server in this process instead of a child process. */
  readonly inProcess: boolean;
}

/** The server, wherever it runs. */
interface RunningServer {
  readonly port: number;
  readonly where: string;
  stop(): Promise<void>;
}

async function startChildServer(codec: CodecName): Promise<RunningServer> {
  const child: ChildProcess = fork(new URL('./pong-server.js', import.meta.url), [codec], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const message = await Promise.race([
    once(child, 'message').then(([m]) => m as ChildMessage),
    exited.then(([code, signal]) => {
      throw new Error(`the server process exited before listening (code ${code}, signal ${signal})`);
    }),
  ]);
  if (message.type !== 'listening') throw new Error(`the server process failed: ${message.message}`);
  return {
    port: message.port,
    where: `child process (pid ${message.pid})`,
    async stop() {
      if (child.connected) child.send({ type: 'stop' } satisfies ParentMessage);
      const timer = setTimeout(() => child.kill(), 5000);
      const [code, signal] = await exited;
      clearTimeout(timer);
      if (code !== 0) throw new Error(`the server process exited with code ${code}, signal ${signal}`);
    },
  };
}

async function startLocalServer(codec: CodecName): Promise<RunningServer> {
  const server: PongServer = await startPongServer(protocolFor(codec), HOST);
  return { port: server.port, where: 'this process', stop: () => server.close() };
}

/** Runs the demo and returns its report (the lines it prints) and whether every reply matched. */
export async function pingPongDemo(
  options: DemoOptions,
): Promise<{ lines: string[]; ok: boolean; result: PingPongResult }> {
  const protocol = protocolFor(options.codec);
  const server = options.inProcess ? await startLocalServer(options.codec) : await startChildServer(options.codec);
  let socket: Socket | undefined;
  let result: PingPongResult;
  try {
    socket = await connectClient(HOST, server.port);
    result = await runPingPong(socket, protocol, { count: options.count, warmup: options.warmup });
  } finally {
    if (socket !== undefined) await closeSocket(socket);
    await server.stop();
  }
  const h = result.histogram;
  const us = (ns: number): string => fixed(ns / 1000, 1);
  const seconds = Number(result.totalNs) / 1e9;
  const ok = result.mismatches === 0 && result.replies === options.count + options.warmup;
  const lines = [
    '@net ping-pong demo: @net/core MessageWriter/MessageReader over node:net (loopback, TCP_NODELAY)',
    `  server      ${server.where} on ${HOST}:${server.port}; client in this process (pid ${process.pid})`,
    `  codec       ${protocol.description}; one order message = ${result.requestFrameBytes} bytes on the wire`,
    `  messages    ${grouped(result.count)} round trips, one at a time (after ${grouped(options.warmup)} warm-up round trips, not counted)`,
    `  replies     ${ok ? 'every reply matched its request' : `${grouped(result.mismatches)} replies did NOT match their request`}`,
    `  round trip  p50 ${us(h.percentile(50))} µs   p99 ${us(h.percentile(99))} µs   max ${us(h.max)} µs   mean ${us(h.mean)} µs`,
    '              (client clock: before encoding the request to after decoding its reply)',
    `  total       ${fixed(seconds, 3)} s for the measured round trips (${grouped(Math.round(result.count / seconds))} round trips/s)`,
    `  machine     ${machineLine()}`,
  ];
  return { lines, ok, result };
}

async function main(): Promise<void> {
  let options: DemoOptions;
  try {
    const args = new Args(process.argv.slice(2), ['count', 'warmup', 'codec']);
    if (args.flag('help')) {
      console.log(USAGE);
      return;
    }
    args.rejectUnknown(['count', 'warmup', 'codec', 'in-process']);
    const codecName = args.string('codec');
    options = {
      count: args.integer('count', 20_000, 1),
      warmup: args.integer('warmup', 1_000),
      codec: codecName === undefined ? defaultCodecName() : parseCodecName(codecName),
      inProcess: args.flag('in-process'),
    };
    protocolFor(options.codec); // fails here, with the usage, for a codec that is not available
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { lines, ok } = await pingPongDemo(options);
  console.log(lines.join('\n'));
  if (!ok) process.exitCode = 1;
}

if (isMain(import.meta.url)) await main();
