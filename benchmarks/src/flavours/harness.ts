/**
 * The process harness of the flavour benchmarks: every server and every client is a *program* (a
 * module run with `child_process.fork`) that answers commands from the orchestrating process over
 * the IPC channel. A program registers its commands with {@link serveCommands}; the orchestrator
 * starts it with {@link ChildProgram.start} and calls them with {@link ChildProgram.call}.
 *
 * Commands run one at a time or side by side (the orchestrator may wait on a server and a client at
 * once), and every program answers the built-in commands `cpu`, `memory` and `exit`. A program may
 * run its work however it likes (the event loop, or a blocking loop of a synchronous flavour) as
 * long as it answers between measurements.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A command to a program. */
interface CommandMessage {
  readonly id: number;
  readonly command: string;
  readonly params: unknown;
}

/** A program's answer to one command. */
type ReplyMessage =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** The first message of every program. */
interface HelloMessage {
  readonly hello: true;
  readonly pid: number;
}

/** CPU time a process used so far, in microseconds (`process.cpuUsage()`). */
export interface CpuTime {
  readonly user: number;
  readonly system: number;
}

/** `process.memoryUsage()` of a program, after garbage collection when it was asked for and possible. */
export interface MemorySnapshot {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly rss: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** Whether `global.gc` ran before the snapshot (the program needs `--expose-gc`). */
  readonly collected: boolean;
}

/** What a command handler gets and returns; results must survive structured clone. */
export type CommandHandler = (params: never) => unknown;

/** The first directory of compiled programs: `dist/` whether this module runs compiled or from `src/` (vitest). */
const DIST_ROOT = import.meta.url.endsWith('.ts') ? new URL('../../dist/', import.meta.url) : new URL('../', import.meta.url);

/**
 * The URL of a compiled program, `path` relative to `dist/` (`'flavours/raw/raw-server.js'`).
 * Programs always run compiled: a child process of a test run from `src/` cannot load TypeScript.
 */
export function programUrl(path: string): URL {
  return new URL(path, DIST_ROOT);
}

/** CPU time from `from` to `to`, in microseconds. */
export function cpuSpent(from: CpuTime, to: CpuTime): number {
  return to.user - from.user + (to.system - from.system);
}

/** Options of {@link ChildProgram.start}. */
export interface StartOptions {
  /** Name in error messages, e.g. `raw-server`. */
  readonly name: string;
  /** Node flags of the child, e.g. `['--expose-gc']`. */
  readonly execArgv?: readonly string[];
  /** How long the program may take to say hello, in ms. Default 20,000. */
  readonly startTimeoutMs?: number;
}

/** A running program, seen from the orchestrator. */
export class ChildProgram {
  private _nextId = 1;
  private readonly _pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private _exit: Error | undefined;
  private readonly _exited: Promise<[number | null, NodeJS.Signals | null]>;

  private constructor(
    private readonly _child: ChildProcess,
    /** Name in error messages. */
    readonly name: string,
    /** The program's process id. */
    readonly pid: number,
    exited: Promise<[number | null, NodeJS.Signals | null]>,
  ) {
    this._exited = exited;
    _child.on('message', (message: ReplyMessage) => this._onReply(message));
    void exited.then(([code, signal]) => {
      this._exit = new Error(`${name} (pid ${pid}) exited (code ${code}, signal ${signal})`);
      for (const waiter of this._pending.values()) waiter.reject(this._exit);
      this._pending.clear();
    });
  }

  /** Forks the program at `url` with `args` and waits for its hello. */
  static async start(url: URL, args: readonly string[], options: StartOptions): Promise<ChildProgram> {
    const script = fileURLToPath(url);
    if (!existsSync(script)) throw new Error(`${options.name}: ${script} does not exist; build @net/benchmarks first (npx pnpm --filter @net/benchmarks run build)`);
    const child = fork(script, [...args], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      execArgv: [...(options.execArgv ?? [])],
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    let timer: NodeJS.Timeout | undefined;
    try {
      const hello = await Promise.race([
        once(child, 'message').then(([message]) => message as HelloMessage),
        exited.then(([code, signal]) => {
          throw new Error(`${options.name} exited before it started (code ${code}, signal ${signal})`);
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${options.name} did not start within ${options.startTimeoutMs ?? 20_000} ms`)), options.startTimeoutMs ?? 20_000);
        }),
      ]);
      return new ChildProgram(child, options.name, hello.pid, exited);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs `command` in the program and resolves with its result.
   * @param timeoutMs how long to wait for the answer (default 5 minutes): a hung program fails the run instead of hanging it
   */
  call<T>(command: string, params: unknown = {}, timeoutMs = 300_000): Promise<T> {
    if (this._exit !== undefined) return Promise.reject(this._exit);
    const id = this._nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this._pending.delete(id);
        reject(new Error(`${this.name}: '${command}' got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this._pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this._child.send({ id, command, params } satisfies CommandMessage);
    });
  }

  /** The program's CPU time so far. */
  cpu(): Promise<CpuTime> {
    return this.call<CpuTime>('cpu');
  }

  /** The program's memory, after `gc()` when `collect` (needs `--expose-gc`). */
  memory(collect: boolean): Promise<MemorySnapshot> {
    return this.call<MemorySnapshot>('memory', { collect });
  }

  /** Asks the program to clean up and exit; kills it if it has not exited within `timeoutMs`. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this._exit === undefined && this._child.connected) {
      await this.call('exit', {}, timeoutMs).catch(() => {});
    }
    const timer = setTimeout(() => this._child.kill('SIGKILL'), timeoutMs);
    const [code, signal] = await this._exited;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`${this.name} (pid ${this.pid}) exited with code ${code}, signal ${signal}`);
  }

  /** Kills the program at once (after a failure elsewhere). */
  kill(): void {
    if (this._exit === undefined) this._child.kill('SIGKILL');
  }

  private _onReply(message: ReplyMessage): void {
    const waiter = this._pending.get(message.id);
    if (waiter === undefined) return;
    this._pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`${this.name}: ${message.error}`));
  }
}

/**
 * The program side: answers the orchestrator's commands with `handlers` (plus the built-in `cpu`,
 * `memory` and `exit`; `exit` runs the program's own `close` handler first, if it has one). Call
 * once, at the top level of the program's module.
 */
export function serveCommands(handlers: Readonly<Record<string, CommandHandler>>): void {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error(`${process.argv[1] ?? 'this program'} is run by the benchmark (child_process.fork), not directly`);
  const builtIn: Record<string, CommandHandler> = {
    cpu: (): CpuTime => process.cpuUsage(),
    memory: ({ collect }: { collect: boolean }): MemorySnapshot => {
      const gc = (globalThis as { gc?: () => void }).gc;
      const collected = collect && gc !== undefined;
      if (collected) {
        // Twice: the first pass can leave work for finalizers and weak references.
        gc();
        gc();
      }
      const { heapUsed, heapTotal, rss, external, arrayBuffers } = process.memoryUsage();
      return { heapUsed, heapTotal, rss, external, arrayBuffers, collected };
    },
    exit: async (): Promise<void> => {
      const close = handlers['close'] as (() => unknown) | undefined;
      if (close !== undefined) await close();
      setImmediate(() => {
        process.disconnect();
        // Anything the program forgot to close must not keep it alive.
        setTimeout(() => process.exit(0), 2_000).unref();
      });
    },
  };
  const reply = (message: ReplyMessage): void => {
    if (process.connected) send(message);
  };
  process.on('message', (message: CommandMessage) => {
    const handler = builtIn[message.command] ?? handlers[message.command];
    if (handler === undefined) {
      reply({ id: message.id, ok: false, error: `unknown command '${message.command}'` });
      return;
    }
    let result: unknown;
    try {
      result = (handler as (params: unknown) => unknown)(message.params);
    } catch (error) {
      reply({ id: message.id, ok: false, error: describeError(error) });
      return;
    }
    Promise.resolve(result).then(
      (value) => reply({ id: message.id, ok: true, result: value }),
      (error: unknown) => reply({ id: message.id, ok: false, error: describeError(error) }),
    );
  });
  // The orchestrator went away: nobody will ask this program to stop.
  process.on('disconnect', () => setTimeout(() => process.exit(0), 2_000).unref());
  send({ hello: true, pid: process.pid } satisfies HelloMessage);
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
