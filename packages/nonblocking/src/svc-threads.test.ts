import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, END_OF_STREAM, ErrorCode, jsonCodec, type NetError, SvcThreads, WOULD_BLOCK } from './index.js';

type Msg = { n: number; who?: boolean; throw?: boolean; exit?: boolean; thread?: number };
const codec = () => jsonCodec<Msg>();
const ECHO = new URL('./test-support/echo-handler.mjs', import.meta.url);
const EXIT_PROGRAM = fileURLToPath(new URL('./test-support/svc-threads-exit-program.mjs', import.meta.url));
const SERVE_PROGRAM = fileURLToPath(new URL('./test-support/svc-threads-serve-program.mjs', import.meta.url));
const RUNTIME_ARGS = 'Deno' in globalThis ? ['run', '-A'] : [];
const CLIENTS = 8;
const COUNT = 10_000;
// Replies a client may have outstanding: enough to keep both threads busy, few enough that no
// socket buffer fills while the client is sending.
const WINDOW = 64;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** Waits (bounded) for `condition`, which another thread makes true, letting the event loop run. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 4_000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function bound(options: Partial<Parameters<typeof SvcThreads.bind>[1]> = {}): Promise<SvcThreads> {
  const svc = await SvcThreads.bind('127.0.0.1:0', { threads: 2, handler: ECHO, ...options });
  cleanups.add(() => svc.close());
  return svc;
}

function client(svc: SvcThreads): Clt<Msg, Msg> {
  return cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
}

async function rejectionOf(promise: Promise<unknown>): Promise<NetError> {
  try {
    await promise;
  } catch (error) {
    return error as NetError;
  }
  throw new Error('it did not fail');
}

describe('SvcThreads: a service across threads', () => {
  it('echoes 10,000 messages for each of 8 clients, in order, over connections spread on both threads', async () => {
    const svc = await bound();
    const clts = Array.from({ length: CLIENTS }, () => client(svc));
    await until(() => svc.connections === CLIENTS, 'every connection to reach a thread');
    const threads = svc.stats().map((stats) => stats.connections);
    expect(threads).toEqual([CLIENTS / 2, CLIENTS / 2]);
    const sent = new Array<number>(CLIENTS).fill(0);
    const got = new Array<number>(CLIENTS).fill(0);
    let outOfOrder = 0;
    const deadline = performance.now() + 120_000;
    while (got.some((count) => count < COUNT) && performance.now() < deadline) {
      for (let i = 0; i < CLIENTS; i++) {
        const clt = clts[i];
        while (sent[i] < COUNT && sent[i] - got[i] < WINDOW && clt.send({ n: sent[i] }) === 'completed') sent[i]++;
        for (let reply = clt.recv(); reply !== WOULD_BLOCK; reply = clt.recv()) {
          if (reply === END_OF_STREAM || reply.n !== got[i]) outOfOrder++;
          got[i]++;
        }
      }
    }
    expect(got).toEqual(new Array<number>(CLIENTS).fill(COUNT));
    expect(outOfOrder).toBe(0);
    // A thread counts a pass's messages after their replies went out.
    await until(() => svc.stats().every((s) => s.messages === (CLIENTS / 2) * COUNT), 'the counts to settle');
    const stats = svc.stats();
    expect(stats.map((s) => s.messages)).toEqual([(CLIENTS / 2) * COUNT, (CLIENTS / 2) * COUNT]);
    expect(stats.map((s) => s.accepted)).toEqual([CLIENTS / 2, CLIENTS / 2]);
    for (const clt of clts) {
      expect(clt.sendBusywait({ n: -1, who: true })).toBe('completed');
      expect(typeof clt.recvBusywaitTimeout(10_000)).toBe('object');
    }
  }, 180_000);

  it('closes only the connection whose handler threw, reports it, and serves the others on', async () => {
    const errors: NetError[] = [];
    const svc = await bound({ onError: (error) => errors.push(error) });
    const [thrower, other] = [client(svc), client(svc)];
    await until(() => svc.connections === 2, 'both connections to reach a thread');
    expect(thrower.sendBusywait({ n: 1, throw: true })).toBe('completed');
    expect(thrower.recvBusywaitTimeout(10_000)).toBe(END_OF_STREAM);
    await until(() => errors.length === 1, 'the error to be reported');
    expect(errors[0].code).toBe(ErrorCode.PROTOCOL);
    expect(String(errors[0].cause)).toContain('refused by the handler');
    expect(svc.stats().reduce((sum, s) => sum + s.handlerErrors, 0)).toBe(1);
    await until(() => svc.connections === 1, 'the closed connection to leave its thread');
    for (let n = 0; n < 100; n++) {
      other.sendBusywait({ n });
      expect(other.recvBusywaitTimeout(10_000)).toEqual({ n });
    }
    const again = client(svc);
    again.sendBusywait({ n: 7 });
    expect(again.recvBusywaitTimeout(10_000)).toEqual({ n: 7 });
  }, 60_000);

  it('a thread that dies takes only its connections with it, is reported, and the rest serve on', async () => {
    const errors: NetError[] = [];
    const svc = await bound({ onError: (error) => errors.push(error) });
    const doomed = client(svc);
    await until(() => svc.connections === 1, 'the first connection to reach a thread');
    const kept = client(svc);
    await until(() => svc.connections === 2, 'the second connection to reach a thread');
    kept.sendBusywait({ n: 0, who: true });
    const keptOn = kept.recvBusywaitTimeout(10_000);
    expect(keptOn).toEqual({ thread: 1 });
    doomed.sendBusywait({ n: 0, exit: true });
    expect(doomed.recvBusywaitTimeout(10_000)).toBe(END_OF_STREAM);
    await until(() => svc.threadFailures === 1, 'the thread to be reported');
    expect(errors.map((error) => error.code)).toEqual([ErrorCode.CLOSED]);
    expect(svc.stats().map((s) => s.alive)).toEqual([false, true]);
    for (let n = 0; n < 100; n++) {
      kept.sendBusywait({ n });
      expect(kept.recvBusywaitTimeout(10_000)).toEqual({ n });
    }
    const late = client(svc);
    late.sendBusywait({ n: 0, who: true });
    expect(late.recvBusywaitTimeout(10_000)).toEqual({ thread: 1 });
  }, 60_000);

  it('close() ends every connection and every thread, and lets the port go', async () => {
    const svc = await bound();
    const clts = [client(svc), client(svc), client(svc)];
    await until(() => svc.connections === 3, 'the connections to reach the threads');
    for (const clt of clts) {
      clt.sendBusywait({ n: 1 });
      expect(clt.recvBusywaitTimeout(10_000)).toEqual({ n: 1 });
    }
    svc.close();
    expect(svc.isClosed).toBe(true);
    expect(svc.connections).toBe(0);
    expect(svc.stats().every((s) => !s.alive && s.connections === 0)).toBe(true);
    for (const clt of clts) expect(clt.recvBusywaitTimeout(10_000)).toBe(END_OF_STREAM);
    expect(() => Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec(), timeout: 2_000 })).toThrow();
    svc.close();
  }, 60_000);

  it('a process that binds, serves and closes exits on its own', () => {
    const child = spawnSync(process.execPath, [...RUNTIME_ARGS, EXIT_PROGRAM], { encoding: 'utf8', timeout: 60_000 });
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('replies 200');
    expect(child.status).toBe(0);
  }, 90_000);

  it('keeps its process alive while open, after the program returned; unref() lets it exit', async () => {
    const child = spawn(process.execPath, [...RUNTIME_ARGS, SERVE_PROGRAM], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.add(() => child.kill('SIGKILL'));
    let stdout = '';
    child.stdout.setEncoding('utf8');
    await until(() => {
      stdout += String(child.stdout.read() ?? '');
      return /port \d+\n/.test(stdout) || child.exitCode !== null;
    }, "the child's port");
    const port = Number(/port (\d+)/.exec(stdout)?.[1]);
    // Its module returned long ago; the service still answers, so the process is alive.
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port }, { codec: codec(), timeout: 10_000 }));
    clt.sendBusywait({ n: 7 });
    expect(clt.recvBusywaitTimeout(10_000)).toEqual({ n: 7 });
    expect(child.exitCode).toBeNull();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect((await exited)[1]).toBe('SIGTERM');

    const unref = spawnSync(process.execPath, [...RUNTIME_ARGS, SERVE_PROGRAM, 'unref'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(unref.error).toBeUndefined();
    expect(unref.stderr).toBe('');
    expect(unref.stdout).toMatch(/^port \d+\n$/);
    expect(unref.status).toBe(0);
  }, 90_000);

  it('refuses handler modules that do not load or lack their exports, and bad options, with coded errors', async () => {
    const broken = await rejectionOf(
      SvcThreads.bind('127.0.0.1:0', {
        threads: 2,
        handler: new URL('./test-support/broken-handler.mjs', import.meta.url),
      }),
    );
    expect(broken.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(String((broken.cause as Error).message)).toContain('does not load');
    const missing = await rejectionOf(
      SvcThreads.bind('127.0.0.1:0', {
        threads: 2,
        handler: new URL('./test-support/no-handler.mjs', import.meta.url),
      }),
    );
    expect(missing.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(missing.message).toContain('codec');
    const absent = await rejectionOf(
      SvcThreads.bind('127.0.0.1:0', { threads: 2, handler: new URL('./test-support/absent.mjs', import.meta.url) }),
    );
    expect(absent.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(absent.cause).toBeDefined();
    for (const threads of [0, 1.5, 257]) {
      expect((await rejectionOf(SvcThreads.bind('127.0.0.1:0', { threads, handler: ECHO }))).code).toBe(
        ErrorCode.INVALID_ARGUMENT,
      );
    }
  }, 60_000);

  it('takes the handler module as a file path, and runs its onConnect before the first message', async () => {
    const path = fileURLToPath(new URL('./test-support/greeting-handler.mjs', import.meta.url));
    const svc = await bound({ handler: path, threads: 1 });
    const clt = client(svc);
    expect(clt.recvBusywaitTimeout(10_000)).toEqual({ n: -1, thread: 0 });
    clt.sendBusywait({ n: 5 });
    expect(clt.recvBusywaitTimeout(10_000)).toEqual({ n: 5 });
  }, 60_000);

  it('keeps maxConnections across all threads', async () => {
    const svc = await bound({ maxConnections: 3 });
    const clts = [client(svc), client(svc), client(svc)];
    await until(() => svc.connections === 3, 'three connections to be served');
    const extra = client(svc);
    await until(() => svc.rejectedCount === 1, 'the fourth to be refused');
    expect(extra.recvBusywaitTimeout(10_000)).toBe(END_OF_STREAM);
    clts[0].close();
    await until(() => svc.connections === 2, 'the closed connection to leave its thread');
    const next = client(svc);
    next.sendBusywait({ n: 3 });
    expect(next.recvBusywaitTimeout(10_000)).toEqual({ n: 3 });
  }, 60_000);
});
