import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../../test-support/fc-runs.mjs';
import type { Logger } from '../callbacks/logger.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { connectPair, FakeScheduler } from '../test-support/fake-connection.js';
import { HandshakeStep, type Protocol } from './protocol.js';

// Random message sequences, clock jumps and closes into the protocol layer of a service side with
// a login handshake, heartbeats, a silence limit and an auto-reply: whatever a peer sends, the
// driver never throws anything but a coded NetError, never ends in an unknown state, keeps its
// sends bounded, and leaves no timer behind once closed. 10,000 sequences here, scaled by
// NET_FC_RUNS (NET_TEST_LONG runs a million).
const RUNS = fcRuns(10_000);

type Msg = { type?: unknown; password?: unknown; n?: unknown };

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function service(): Protocol<Msg, Msg> {
  return {
    heartbeatInterval: 50,
    peerSilenceIntervals: 3,
    onHandshakeRecv(message, connection) {
      if (message.type !== 'login') return HandshakeStep.Continue;
      if (message.password !== 'secret') {
        connection.send({ type: 'rejected' });
        throw new NetError(ErrorCode.HANDSHAKE, 'bad password');
      }
      connection.send({ type: 'accepted' });
      return HandshakeStep.Done;
    },
    sendHeartbeat: (sender) => sender.send({ type: 'hb' }),
    reply(message, sender) {
      if (message.type === 'ping') sender.send({ type: 'pong', n: message.n });
    },
    onDisconnect: (sender) => sender.send({ type: 'eos' }),
  };
}

const message = fc.oneof(
  fc.constant({ type: 'login', password: 'secret' }),
  fc.record({ type: fc.constant('login'), password: fc.string({ maxLength: 8 }) }),
  fc.record({ type: fc.constant('ping'), n: fc.integer() }),
  fc.constant({ type: 'hb' }),
  fc.record({ type: fc.string({ maxLength: 6 }) }),
  fc.anything({ maxDepth: 2 }) as fc.Arbitrary<Msg>,
);

const event = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('message' as const), value: message }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('time' as const), ms: fc.integer({ min: 0, max: 400 }) }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'close' as const }), weight: 1 },
);

const VALID_STATES = new Set(['idle', 'handshaking', 'ready', 'failed', 'closed']);
const CODES = new Set<string>(Object.values(ErrorCode));

describe('protocol layer under random input (fast-check)', () => {
  it(`survives ${RUNS.toLocaleString('en-US')} random sequences of messages, clock jumps and closes`, () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const scheduler = new FakeScheduler();
        const { server } = connectPair<Msg, Msg>(
          scheduler,
          {},
          { protocol: service(), handshakeTimeout: 1_000, logger: silent },
        );
        const driver = server.driver;
        driver.start();
        let elapsed = 0;
        for (const step of events) {
          if (step.kind === 'time') {
            scheduler.advance(step.ms);
            elapsed += step.ms;
          } else if (step.kind === 'close') {
            driver.closing();
            driver.closed();
          } else if (driver.state === 'handshaking' || driver.state === 'ready') {
            try {
              driver.received(step.value);
            } catch (error) {
              // Only a coded error may come out; the flavour closes the connection with it.
              expect(NetError.isNetError(error)).toBe(true);
              expect(CODES.has((error as NetError).code)).toBe(true);
              driver.closed(error as NetError);
            }
          }
          expect(VALID_STATES.has(driver.state)).toBe(true);
        }
        // Sends are bounded by what came in and the heartbeats the elapsed time allows.
        expect(server.sent.length).toBeLessThanOrEqual(events.length + Math.ceil(elapsed / 50) + 2);
        driver.closed();
        expect(scheduler.pending).toBe(0);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
