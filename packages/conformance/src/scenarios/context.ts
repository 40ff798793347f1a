import { it } from 'vitest';
import type { AdapterCltOptions, AdapterSvcOptions, CltHandle, FlavourAdapter, SvcHandle } from '../adapter.js';
import type { ResolvedConformanceOptions } from '../options.js';

/** The two flavours under test: clients come from `clt`, services from `svc`. */
export interface FlavourPair {
  readonly clt: FlavourAdapter;
  readonly svc: FlavourAdapter;
}

/** A client, the service it reached and the service's handle on that connection. */
export interface ConnectedPair<C, S> {
  readonly svc: SvcHandle<S, C>;
  readonly clt: CltHandle<C, S>;
  /** The service side of the connection, taken with `accept()`. */
  readonly peer: CltHandle<S, C>;
}

/** How long a cleanup may take before the suite calls it a hang. */
const CLEANUP_LIMIT_MS = 5_000;

/** Loopback only: every scenario listens on an ephemeral port of this host. */
export const LOOPBACK = '127.0.0.1';

/**
 * What every scenario works with: the flavour pair, the options, and helpers that open clients
 * and services through the adapters and remember them, so that {@link SuiteContext.cleanUp}
 * (run after each test) closes everything a test opened, whether it passed or not.
 */
export class SuiteContext {
  readonly pair: FlavourPair;
  readonly options: ResolvedConformanceOptions;
  private readonly _cleanups: { what: string; run: () => unknown }[] = [];

  /**
   * `it` for scenarios about data queued inside the client's flavour; `it.skip` for a synchronous
   * client, which never queues (see `FlavourAdapter.synchronous`).
   */
  readonly queueingCltIt: (name: string, options: { timeout?: number }, fn: () => Promise<void>) => void;

  /**
   * `it` for scenarios that need messages taken in by the service before `recvFrom` is called
   * (to check the order `recvFrom` then picks them in); `it.skip` for a synchronous service, which
   * reads only when called: its order is checked by the flavour's own tests.
   */
  readonly readAheadSvcIt: (name: string, fn: () => Promise<void>) => void;

  constructor(pair: FlavourPair, options: ResolvedConformanceOptions) {
    this.pair = pair;
    this.options = options;
    this.queueingCltIt = (pair.clt.synchronous === true ? it.skip : it) as SuiteContext['queueingCltIt'];
    this.readAheadSvcIt = (pair.svc.synchronous === true ? it.skip : it) as SuiteContext['readAheadSvcIt'];
  }

  /** Registers `run` to be called after the current test, newest first. */
  defer(what: string, run: () => unknown): void {
    this._cleanups.push({ what, run });
  }

  /** Binds a service of the `svc` flavour on an ephemeral loopback port. */
  async bind<Send, Recv>(options: AdapterSvcOptions<Send, Recv>, port = 0): Promise<SvcHandle<Send, Recv>> {
    const svc = await this.pair.svc.bind<Send, Recv>(`${LOOPBACK}:${port}`, options);
    this.defer(`service :${svc.port}`, () => svc.close());
    return svc;
  }

  /** Connects a client of the `clt` flavour to `port` (timeout 5 s unless given). */
  async connect<Send, Recv>(port: number, options: AdapterCltOptions<Send, Recv>): Promise<CltHandle<Send, Recv>> {
    const clt = await this.pair.clt.connect<Send, Recv>({ host: LOOPBACK, port }, { timeout: 5_000, ...options });
    this.defer(`client ${String(clt.conId)}`, () => clt.close());
    return clt;
  }

  /** Registers a handle the scenario got elsewhere (an accepted connection) for closing. */
  track<T extends { close(): Promise<void> }>(handle: T, what = 'handle'): T {
    this.defer(what, () => handle.close());
    return handle;
  }

  /** Binds a service, connects one client to it and accepts the connection. */
  async connectPair<C, S>(
    svcOptions: AdapterSvcOptions<S, C>,
    cltOptions: AdapterCltOptions<C, S>,
  ): Promise<ConnectedPair<C, S>> {
    const svc = await this.bind<S, C>(svcOptions);
    const [clt, peer] = await Promise.all([this.connect<C, S>(svc.port, cltOptions), svc.accept(5_000)]);
    this.track(peer, 'accepted connection');
    return { svc, clt, peer };
  }

  /**
   * Runs every registered cleanup, newest first. A cleanup that throws is ignored (the handle may
   * be closed already); one that does not finish within 5 s fails the test, since a close that
   * hangs is a bug of its own.
   */
  async cleanUp(): Promise<void> {
    const hung: string[] = [];
    for (const { what, run } of this._cleanups.splice(0).reverse()) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), CLEANUP_LIMIT_MS)));
      const done = Promise.resolve()
        .then(run)
        .then(
          () => 'done' as const,
          () => 'done' as const,
        );
      if ((await Promise.race([done, limit])) === 'hung') hung.push(what);
      clearTimeout(timer);
    }
    if (hung.length > 0) throw new Error(`cleanup did not finish within ${CLEANUP_LIMIT_MS} ms: ${hung.join(', ')}`);
  }
}
