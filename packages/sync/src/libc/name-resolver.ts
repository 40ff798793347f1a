import { isIP } from 'node:net';
import { Worker } from 'node:worker_threads';
import { type Endpoint, fromSocketError } from '@net/core';

/** What the resolver thread is asked: one host name, with the number that tags its answer. */
export interface LookupRequest {
  readonly id: number;
  readonly host: string;
}

/** The resolver thread's answer: an address, or the system's error code and message. */
export type LookupAnswer =
  { readonly address: string; readonly family: number } | { readonly code: string; readonly message: string };

// Layout of the shared answer: the id of the last request answered, the answer's length, its text.
/** Index of the word holding the id of the last request answered. */
export const ANSWERED = 0;
/** Index of the word holding the answer's length in bytes. */
export const ANSWER_LENGTH = 1;
/** Byte offset of the answer's JSON text. */
export const ANSWER_BYTES = 8;
const ANSWER_CAPACITY = 4096;

/**
 * Host names for the threads that call the C library directly (Node 26, Bun, Deno), which have no
 * broker thread to resolve them. A blocking call may park its thread, but not past its deadline:
 * the C resolver (`getaddrinfo`) cannot be bounded, so the name is looked up by a thread of its own
 * with the runtime's `dns.lookup`, and the asking thread parks in `Atomics.wait` until the answer
 * or the deadline. The thread starts on the first name, and never keeps the process alive.
 */
export class NameResolver {
  private readonly _script: URL;
  private _worker: Worker | undefined;
  private readonly _shared = new SharedArrayBuffer(ANSWER_BYTES + ANSWER_CAPACITY);
  private readonly _words = new Int32Array(this._shared, 0, 2);
  private readonly _bytes = new Uint8Array(this._shared, ANSWER_BYTES);
  private _lastId = 0;

  /** @param script the resolver thread's program (a test gives one that answers from a table) */
  constructor(script: URL = new URL('./name-resolver-worker.js', import.meta.url)) {
    this._script = script;
  }

  /**
   * `endpoint` with its host name replaced by an address; IP addresses, `localhost` and Unix
   * sockets are returned as they are, without a lookup.
   * @throws NetError `NET_ERR_RESOLVE` when the name does not resolve, `NET_ERR_TIMEOUT` when no
   *   answer came within `timeoutMs`, `NET_ERR_SOCKET` when no name server answered
   */
  resolve(endpoint: Endpoint, timeoutMs: number): Endpoint {
    if (endpoint.kind === 'unix' || endpoint.host === 'localhost' || isIP(endpoint.host) !== 0) return endpoint;
    return { ...endpoint, host: this.lookup(endpoint.host, timeoutMs) };
  }

  /**
   * The address `host` resolves to, asked of the resolver thread whatever the name.
   * @throws NetError as {@link resolve}
   */
  lookup(host: string, timeoutMs: number): string {
    const id = ++this._lastId;
    this._thread().postMessage({ id, host } satisfies LookupRequest);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const answered = Atomics.load(this._words, ANSWERED);
      if (answered === id) break;
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        // A late answer to this request is told apart from the next one's by its id.
        throw fromSocketError(
          Object.assign(new Error(`lookup ${host}: ETIMEDOUT`), { code: 'ETIMEDOUT' }),
          `lookup ${host}`,
        );
      }
      Atomics.wait(this._words, ANSWERED, answered, remaining);
    }
    const text = new TextDecoder().decode(this._bytes.slice(0, Atomics.load(this._words, ANSWER_LENGTH)));
    const reply = JSON.parse(text) as LookupAnswer;
    if ('address' in reply) return reply.address;
    // The codes the broker path gives for the same failures: no such name is NET_ERR_RESOLVE; a name
    // server that did not answer (EAI_AGAIN) may pass, and stays a socket error that a connect retries.
    throw fromSocketError(
      Object.assign(new Error(`lookup ${host}: ${reply.message}`), { code: reply.code }),
      `lookup ${host}`,
    );
  }

  /** Ends the resolver thread, if it was started. */
  close(): void {
    void this._worker?.terminate();
    this._worker = undefined;
  }

  private _thread(): Worker {
    if (this._worker === undefined) {
      const worker = new Worker(this._script, { workerData: { answer: this._shared } });
      worker.unref();
      // A thread that dies leaves the next lookup to start another.
      worker.once('error', () => this._worker === worker && (this._worker = undefined));
      worker.once('exit', () => this._worker === worker && (this._worker = undefined));
      this._worker = worker;
    }
    return this._worker;
  }
}
