import { describe, expect, it } from 'vitest';
import type { Callbacks } from '../callbacks/callbacks.js';
import type { Logger } from '../callbacks/logger.js';
import type { ConId } from '../connection/con-id.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { connectPair, FakeScheduler } from '../test-support/fake-connection.js';
import { HandshakeStep, type Protocol, type ProtocolSender } from './protocol.js';

type CltMsg =
  | { type: 'login'; user: string; password: string }
  | { type: 'ping'; seq?: number }
  | { type: 'data'; text: string; seq?: number }
  | { type: 'hb' }
  | { type: 'bye' };
type SvcMsg =
  { type: 'accepted' } | { type: 'rejected'; reason: string } | { type: 'pong' } | { type: 'hb' } | { type: 'eos' };

const quietLogger: Logger & { warnings: unknown[][] } = {
  warnings: [],
  debug() {},
  info() {},
  warn(...args: unknown[]) {
    this.warnings.push(args);
  },
  error() {},
};

function clientProtocol(password = 'secret', heartbeatInterval?: number): Protocol<CltMsg, SvcMsg> {
  return {
    heartbeatInterval,
    onConnect: (connection) => connection.send({ type: 'login', user: 'u1', password }),
    onHandshakeRecv(message) {
      if (message.type === 'accepted') return HandshakeStep.Done;
      if (message.type === 'rejected') throw new Error(`login rejected: ${message.reason}`);
      return HandshakeStep.Continue;
    },
    sendHeartbeat: (sender) => sender.send({ type: 'hb' }),
    onDisconnect: (sender) => sender.send({ type: 'bye' }),
  };
}

function serverProtocol(heartbeatInterval?: number): Protocol<SvcMsg, CltMsg> {
  return {
    heartbeatInterval,
    onHandshakeRecv(message, connection) {
      if (message.type !== 'login') return HandshakeStep.Continue;
      if (message.password !== 'secret') {
        connection.send({ type: 'rejected', reason: 'bad password' });
        throw new NetError(ErrorCode.HANDSHAKE, 'bad password');
      }
      connection.send({ type: 'accepted' });
      return HandshakeStep.Done;
    },
    sendHeartbeat: (sender) => sender.send({ type: 'hb' }),
    reply: (message, sender) => {
      if (message.type === 'ping') sender.send({ type: 'pong' });
    },
    onDisconnect: (sender) => sender.send({ type: 'eos' }),
  };
}

/** Records every callback event as a readable line. */
function recorder<S, R>(lines: string[]): Callbacks<S, R> {
  const text = (m: unknown) => JSON.stringify(m);
  return {
    onRecv: (id: ConId, m: R) => void lines.push(`${id.name} recv ${text(m)}`),
    onSent: (id: ConId, m: S) => void lines.push(`${id.name} sent ${text(m)}`),
    onConnected: (id: ConId) => void lines.push(`${id.name} connected`),
    onDisconnected: (id: ConId, reason: NetError | undefined) =>
      void lines.push(`${id.name} disconnected ${reason?.code ?? 'clean'}`),
    onRejected: (id: ConId, reason: NetError) => void lines.push(`${id.name} rejected ${reason.code}`),
  };
}

describe('ConnectionDriver handshake', () => {
  it('runs a login handshake before the connection counts as connected; handshake messages reach callbacks only', () => {
    const scheduler = new FakeScheduler();
    const lines: string[] = [];
    const { client, server, pump } = connectPair(
      scheduler,
      { protocol: clientProtocol(), callbacks: recorder(lines) },
      { protocol: serverProtocol(), callbacks: recorder(lines) },
    );
    server.driver.start();
    client.driver.start();
    expect(client.driver.isConnected()).toBe(false);
    pump();
    expect(client.ready && server.ready).toBe(true);
    expect(client.driver.isConnected() && server.driver.isConnected()).toBe(true);
    expect(client.delivered).toEqual([]);
    expect(server.delivered).toEqual([]);
    expect(lines).toEqual([
      'clt sent {"type":"login","user":"u1","password":"secret"}',
      'svc recv {"type":"login","user":"u1","password":"secret"}',
      'svc sent {"type":"accepted"}',
      'svc connected',
      'clt recv {"type":"accepted"}',
      'clt connected',
    ]);
    expect(scheduler.pending).toBe(0);
  });

  it('rejects a bad login on both sides with NET_ERR_HANDSHAKE, and the service reports it as rejected', () => {
    const scheduler = new FakeScheduler();
    const lines: string[] = [];
    const { client, server, pump } = connectPair(
      scheduler,
      { protocol: clientProtocol('wrong') },
      { protocol: serverProtocol(), callbacks: recorder(lines) },
    );
    server.driver.start();
    client.driver.start();
    pump();
    expect(server.failure?.code).toBe(ErrorCode.HANDSHAKE);
    expect(server.driver.state).toBe('failed');
    expect(client.failure?.code).toBe(ErrorCode.HANDSHAKE);
    expect(client.failure?.message).toContain('bad password');
    expect(lines).toContain('svc rejected NET_ERR_HANDSHAKE');
    expect(lines).not.toContain('svc connected');
    expect(scheduler.pending).toBe(0);
  });

  it('fails a handshake that passes its deadline', () => {
    const scheduler = new FakeScheduler();
    const { client, pump } = connectPair(
      scheduler,
      { protocol: clientProtocol(), handshakeTimeout: 5_000 },
      { protocol: { onHandshakeRecv: () => HandshakeStep.Continue } },
    );
    client.driver.start();
    pump();
    scheduler.advance(4_999);
    expect(client.failure).toBeUndefined();
    scheduler.advance(1);
    expect(client.failure?.code).toBe(ErrorCode.HANDSHAKE);
    expect(client.failure?.message).toContain('5000 ms');
  });

  it('completes at once without a handshake, and a throwing onConnect fails it', () => {
    const scheduler = new FakeScheduler();
    const plain = connectPair<CltMsg, SvcMsg>(scheduler, {}, {});
    plain.client.driver.start();
    expect(plain.client.ready).toBe(true);
    const broken = connectPair<CltMsg, SvcMsg>(
      scheduler,
      {
        protocol: {
          onConnect: () => {
            throw new Error('no credentials');
          },
        },
      },
      {},
    );
    broken.client.driver.start();
    expect(broken.client.failure?.code).toBe(ErrorCode.HANDSHAKE);
    expect(broken.client.failure?.cause).toBeInstanceOf(Error);
  });

  it('fails the handshake when the connection closes during it', () => {
    const scheduler = new FakeScheduler();
    const { client } = connectPair(scheduler, { protocol: clientProtocol() }, {});
    client.driver.start();
    client.driver.closed(new NetError(ErrorCode.PEER_RESET, 'reset'));
    expect(client.failure?.code).toBe(ErrorCode.PEER_RESET);
  });
});

describe('ConnectionDriver heartbeats', () => {
  it('sends heartbeats at the configured rate while the send side is idle, and none while it is busy', () => {
    const scheduler = new FakeScheduler();
    const { client, server, pump } = connectPair(
      scheduler,
      { protocol: clientProtocol('secret', 1_000) },
      { protocol: serverProtocol(1_000) },
    );
    server.driver.start();
    client.driver.start();
    pump();
    scheduler.advance(5_000, pump);
    const beats = (sent: { type: string }[]) => sent.filter((m) => m.type === 'hb').length;
    expect(beats(client.sent)).toBe(5);
    expect(beats(server.sent)).toBe(5);
    // The client now sends data every 400 ms: its heartbeats stop, the server's go on.
    for (let i = 0; i < 10; i++) {
      scheduler.advance(400, pump);
      client.driver.sender.send({ type: 'data', text: `d${i}` });
      pump();
    }
    expect(beats(client.sent)).toBe(5);
    expect(beats(server.sent)).toBe(9);
    expect(client.closes).toEqual([]);
  });

  it('sends one heartbeat, not a burst of catch-up beats, when its timer fires late', () => {
    const scheduler = new FakeScheduler();
    const { client, server, pump } = connectPair(
      scheduler,
      { protocol: clientProtocol('secret', 1_000) },
      { protocol: serverProtocol(1_000) },
    );
    server.driver.start();
    client.driver.start();
    pump();
    scheduler.advance(5_000, pump);
    const beats = (sent: { type: string }[]) => sent.filter((m) => m.type === 'hb').length;
    expect(beats(client.sent)).toBe(5);
    // The thread was busy elsewhere: the beat due at 6,000 ms runs at 7,500 ms (within the
    // peer-silence limit of three intervals).
    scheduler.jump(2_500, pump);
    expect(beats(client.sent)).toBe(6);
    // The next one is a whole interval after the late one, not sooner.
    scheduler.advance(999, pump);
    expect(beats(client.sent)).toBe(6);
    scheduler.advance(1, pump);
    expect(beats(client.sent)).toBe(7);
    expect(client.closes).toEqual([]);
    expect(server.closes).toEqual([]);
  });

  it('disconnects a peer that stays silent past the configured number of intervals', () => {
    const scheduler = new FakeScheduler();
    const lines: string[] = [];
    const mute: Protocol<SvcMsg, CltMsg> = { ...serverProtocol(), sendHeartbeat: undefined };
    const { client, server, pump } = connectPair(
      scheduler,
      { protocol: { ...clientProtocol('secret', 1_000), peerSilenceIntervals: 3 }, callbacks: recorder(lines) },
      { protocol: mute },
    );
    server.driver.start();
    client.driver.start();
    pump();
    scheduler.advance(3_000, pump);
    expect(client.closes).toEqual([]);
    scheduler.advance(1_001, pump);
    expect(client.closes.map((r) => r?.code)).toEqual([ErrorCode.PEER_SILENT]);
    expect(lines).toContain('clt disconnected NET_ERR_PEER_SILENT');
    expect(scheduler.pending).toBe(0);
  });

  it('validates the heartbeat interval', () => {
    const scheduler = new FakeScheduler();
    expect(() => connectPair<CltMsg, SvcMsg>(scheduler, { protocol: { heartbeatInterval: 0 } }, {})).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
  });
});

describe('ConnectionDriver message hooks', () => {
  it('auto-replies to scripted messages and delivers the rest to the user', () => {
    const scheduler = new FakeScheduler();
    const { client, server, pump } = connectPair(
      scheduler,
      { protocol: clientProtocol() },
      { protocol: serverProtocol() },
    );
    server.driver.start();
    client.driver.start();
    pump();
    client.driver.sender.send({ type: 'ping' });
    client.driver.sender.send({ type: 'data', text: 'x' });
    pump();
    expect(server.delivered).toEqual([{ type: 'ping' }, { type: 'data', text: 'x' }]);
    expect(client.delivered).toEqual([{ type: 'pong' }]);
  });

  it('sends last words on a graceful close, and reports a clean disconnect', () => {
    const scheduler = new FakeScheduler();
    const lines: string[] = [];
    const { client, server, pump } = connectPair(
      scheduler,
      { protocol: clientProtocol(), callbacks: recorder(lines) },
      { protocol: serverProtocol() },
    );
    server.driver.start();
    client.driver.start();
    pump();
    server.driver.closing();
    server.driver.closed();
    pump();
    expect(client.delivered).toEqual([{ type: 'eos' }]);
    client.driver.closing();
    client.driver.closed();
    expect(client.sent.at(-1)).toEqual({ type: 'bye' });
    expect(lines.at(-1)).toBe('clt disconnected clean');
    client.driver.closed();
    expect(lines.filter((l) => l.includes('disconnected'))).toHaveLength(1);
  });

  it('lets onSend replace a message and calls each send hook exactly once per message', () => {
    const scheduler = new FakeScheduler();
    const calls: string[] = [];
    let seq = 0;
    const protocol: Protocol<CltMsg, SvcMsg> = {
      onSend: (_id, m) => (m.type === 'data' ? { ...m, seq: ++seq } : undefined),
      onSent: (_id, m) => void calls.push(`sent ${JSON.stringify(m)}`),
      onWouldBlock: (_id, m) => void calls.push(`wouldBlock ${m.type}`),
      onError: (_id, m, e) => void calls.push(`error ${m.type} ${e.code}`),
    };
    const { client, server, pump } = connectPair<CltMsg, SvcMsg>(scheduler, { protocol }, {});
    server.driver.start();
    client.driver.start();
    client.driver.sender.send({ type: 'data', text: 'a' });
    client.driver.sender.send({ type: 'data', text: 'b' });
    pump();
    expect(server.delivered).toEqual([
      { type: 'data', text: 'a', seq: 1 },
      { type: 'data', text: 'b', seq: 2 },
    ]);
    client.driver.afterWouldBlock({ type: 'ping' });
    client.driver.afterSendError({ type: 'ping' }, new NetError(ErrorCode.CLOSED, 'closed'));
    expect(calls).toEqual([
      'sent {"type":"data","text":"a","seq":1}',
      'sent {"type":"data","text":"b","seq":2}',
      'wouldBlock ping',
      'error ping NET_ERR_CLOSED',
    ]);
  });

  it('keeps going when a callback throws, and reports it to the logger', () => {
    const scheduler = new FakeScheduler();
    quietLogger.warnings.length = 0;
    const callbacks: Callbacks<SvcMsg, CltMsg> = {
      onRecv: () => {
        throw new Error('observer bug');
      },
    };
    const { client, server, pump } = connectPair<CltMsg, SvcMsg>(scheduler, {}, { callbacks, logger: quietLogger });
    server.driver.start();
    client.driver.start();
    client.driver.sender.send({ type: 'ping' });
    pump();
    expect(server.delivered).toEqual([{ type: 'ping' }]);
    expect(quietLogger.warnings).toHaveLength(1);
    expect(String(quietLogger.warnings[0][0])).toContain('onRecv');
  });

  it('turns a throwing protocol onRecv into NET_ERR_PROTOCOL for the flavour to close on', () => {
    const scheduler = new FakeScheduler();
    const { server } = connectPair<CltMsg, SvcMsg>(
      scheduler,
      {},
      {
        protocol: {
          onRecv: () => {
            throw new Error('bad state');
          },
        },
      },
    );
    server.driver.start();
    expect(() => server.driver.received({ type: 'ping' })).toThrow(
      expect.objectContaining({ code: ErrorCode.PROTOCOL }),
    );
  });

  it('asks the protocol for the logical connected state', () => {
    const scheduler = new FakeScheduler();
    let loggedIn = false;
    const { client } = connectPair<CltMsg, SvcMsg>(scheduler, { protocol: { isConnected: () => loggedIn } }, {});
    client.driver.start();
    expect(client.driver.isConnected()).toBe(false);
    loggedIn = true;
    expect(client.driver.isConnected()).toBe(true);
    client.driver.closed();
    expect(client.driver.isConnected()).toBe(false);
  });
});

describe('Protocol per-connection instances', () => {
  it('derives one instance per connection with forConnection, sharing session state', () => {
    const session = { logins: 0 };
    class CountingProtocol implements Protocol<SvcMsg, CltMsg> {
      loggedIn = false;
      forConnection() {
        return new CountingProtocol();
      }
      onHandshakeRecv(_message: CltMsg, connection: ProtocolSender<SvcMsg>) {
        this.loggedIn = true;
        session.logins++;
        connection.send({ type: 'accepted' });
        return HandshakeStep.Done;
      }
    }
    const template = new CountingProtocol();
    const scheduler = new FakeScheduler();
    for (let i = 0; i < 3; i++) {
      const { client, server, pump } = connectPair(scheduler, { protocol: clientProtocol() }, { protocol: template });
      server.driver.start();
      client.driver.start();
      pump();
      expect(server.ready).toBe(true);
    }
    expect(session.logins).toBe(3);
    expect(template.loggedIn).toBe(false);
  });
});
