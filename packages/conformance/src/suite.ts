import { afterEach, describe, expect } from 'vitest';
import { type ConformanceOptions, resolveConformanceOptions } from './options.js';
import { type FlavourPair, SuiteContext } from './scenarios/context.js';
import { faultScenarios } from './scenarios/faults.js';
import { framingScenarios } from './scenarios/framing.js';
import { handshakeScenarios } from './scenarios/handshake.js';
import { handshakeFailureScenarios } from './scenarios/handshake-failures.js';
import { idleTimeoutScenarios } from './scenarios/idle-timeout.js';
import { loadScenarios } from './scenarios/load.js';
import { messagingScenarios } from './scenarios/messaging.js';
import { overloadScenarios } from './scenarios/overload.js';
import { protocolScenarios } from './scenarios/protocol.js';
import { reliabilityScenarios } from './scenarios/reliability.js';
import { silenceWatchScenarios } from './scenarios/silence-watch.js';
import { servicePoolScenarios } from './scenarios/service-pool.js';
import { slowReaderScenarios } from './scenarios/slow-reader.js';

/**
 * Registers the conformance scenarios for one flavour pair: clients from `pair.clt`, services from
 * `pair.svc`, under `describe('<clt> Clt -> <svc> Svc')`. Call it at the top level of a vitest
 * file (or inside a `describe`). Groups are switched with `options`; see {@link ConformanceOptions}
 * for the defaults and `NET_TEST_LONG`.
 *
 * Every scenario runs over real loopback sockets on ephemeral ports, waits on events and promises
 * (never on a fixed sleep), and closes every client, service and raw socket it opened after the
 * test, passed or failed.
 */
export function defineConformanceSuite(pair: FlavourPair, options: ConformanceOptions = {}): void {
  const resolved = resolveConformanceOptions(options);
  describe(`${pair.clt.name} Clt -> ${pair.svc.name} Svc`, () => {
    const ctx = new SuiteContext(pair, resolved);
    afterEach(async () => {
      await ctx.cleanUp();
      const faults = [
        ...(pair.clt.takeFaults?.() ?? []),
        ...(pair.svc === pair.clt ? [] : (pair.svc.takeFaults?.() ?? [])),
      ];
      expect(faults, 'errors thrown inside a hosted flavour').toEqual([]);
    });
    if (resolved.messaging) messagingScenarios(ctx);
    if (resolved.servicePool) servicePoolScenarios(ctx);
    if (resolved.protocol) {
      handshakeScenarios(ctx);
      handshakeFailureScenarios(ctx);
      silenceWatchScenarios(ctx);
      protocolScenarios(ctx);
    }
    if (resolved.framing) framingScenarios(ctx);
    if (resolved.faults) {
      faultScenarios(ctx);
      reliabilityScenarios(ctx);
      slowReaderScenarios(ctx);
      idleTimeoutScenarios(ctx);
    }
    if (resolved.load) {
      loadScenarios(ctx);
      overloadScenarios(ctx);
    }
  });
}
