import { describe, expect, it, vi } from 'vitest';
import { ConId } from '../connection/con-id.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { LoggerCallback } from './logger-callback.js';
import type { Logger } from './logger.js';

type Line = [level: keyof Logger, message: string, data: unknown];

function recordingLogger(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const logger: Logger = {
    debug: (message, data) => lines.push(['debug', message, data]),
    info: (message, data) => lines.push(['info', message, data]),
    warn: (message, data) => lines.push(['warn', message, data]),
    error: (message, data) => lines.push(['error', message, data]),
  };
  return { logger, lines };
}

const clt = (): ConId =>
  new ConId(
    'initiator',
    'clt',
    { kind: 'tcp', host: '127.0.0.1', port: 5000 },
    { kind: 'tcp', host: '127.0.0.1', port: 8080 },
  );

describe('LoggerCallback', () => {
  it('writes one line per event with the message passed as structured data', () => {
    const { logger, lines } = recordingLogger();
    const callback = new LoggerCallback<{ ping: number }, { pong: number }>({ logger });
    const conId = clt();
    const sent = { ping: 1 };
    const recv = { pong: 1 };
    callback.onConnected(conId);
    callback.onSent(conId, sent);
    callback.onRecv(conId, recv);
    callback.onDisconnected(conId, undefined);
    expect(lines).toEqual([
      ['info', 'onConnected clt@127.0.0.1:5000->127.0.0.1:8080', undefined],
      ['info', 'onSent clt@127.0.0.1:5000->127.0.0.1:8080', sent],
      ['info', 'onRecv clt@127.0.0.1:5000->127.0.0.1:8080', recv],
      ['info', 'onDisconnected clt@127.0.0.1:5000->127.0.0.1:8080', undefined],
    ]);
    // The very object, not a string rendering of it.
    expect(lines[1][2]).toBe(sent);
  });

  it('logs rejections and abnormal disconnects at the problem level with the reason', () => {
    const { logger, lines } = recordingLogger();
    const callback = new LoggerCallback({ logger, problemLevel: 'error' });
    const conId = new ConId('acceptor', 'svc', { kind: 'tcp', host: '127.0.0.1', port: 8080 });
    const reason = new NetError(ErrorCode.PEER_RESET, 'reset');
    callback.onDisconnected(conId, reason);
    callback.onRejected(conId, new NetError(ErrorCode.REJECTED, 'full'));
    expect(lines.map(([level, message]) => [level, message])).toEqual([
      ['error', 'onDisconnected svc@127.0.0.1:8080<-pending'],
      ['error', 'onRejected svc@127.0.0.1:8080<-pending'],
    ]);
    expect(lines[0][2]).toBe(reason);
  });

  it('uses the configured level for each kind of line', () => {
    const { logger, lines } = recordingLogger();
    const callback = new LoggerCallback({
      logger,
      level: 'debug',
      recvLevel: 'debug',
      sentLevel: 'warn',
      eventLevel: 'error',
    });
    const conId = clt();
    callback.onRecv(conId, 'r');
    callback.onSent(conId, 's');
    callback.onConnected(conId);
    expect(lines.map(([level]) => level)).toEqual(['debug', 'warn', 'error']);
  });

  it('skips events below the threshold without building the line', () => {
    const { logger, lines } = recordingLogger();
    const callback = new LoggerCallback({
      logger,
      level: 'warn',
      recvLevel: 'info',
      sentLevel: 'debug',
      eventLevel: 'info',
    });
    const conId = clt();
    const toString = vi.spyOn(conId, 'toString');
    callback.onRecv(conId, 'r');
    callback.onSent(conId, 's');
    callback.onConnected(conId);
    callback.onDisconnected(conId, undefined);
    expect(lines).toEqual([]);
    expect(toString).not.toHaveBeenCalled();
    // Problems default to 'warn', which is at the threshold.
    callback.onRejected(conId, new NetError(ErrorCode.REJECTED, 'full'));
    expect(lines.map(([level, message]) => [level, message])).toEqual([
      ['warn', 'onRejected clt@127.0.0.1:5000->127.0.0.1:8080'],
    ]);
  });

  it("treats 'silent' as off, both as a threshold and as a line's level", () => {
    const { logger, lines } = recordingLogger();
    const conId = clt();
    const off = new LoggerCallback({ logger, level: 'silent' });
    off.onRecv(conId, 1);
    off.onRejected(conId, new NetError(ErrorCode.REJECTED, 'full'));
    const quietRecv = new LoggerCallback({ logger, recvLevel: 'silent' });
    quietRecv.onRecv(conId, 2);
    quietRecv.onSent(conId, 3);
    expect(lines.map(([level, message, data]) => [level, message.split(' ')[0], data])).toEqual([
      ['info', 'onSent', 3],
    ]);
  });

  it('keeps the logger as `this`, as pino-style class loggers need', () => {
    class ClassLogger implements Logger {
      readonly seen: string[] = [];
      debug(message: string): void {
        this.seen.push(message);
      }
      info(message: string): void {
        this.seen.push(message);
      }
      warn(message: string): void {
        this.seen.push(message);
      }
      error(message: string): void {
        this.seen.push(message);
      }
    }
    const logger = new ClassLogger();
    new LoggerCallback({ logger }).onRecv(clt(), {});
    expect(logger.seen).toEqual(['onRecv clt@127.0.0.1:5000->127.0.0.1:8080']);
  });

  it('works with the defaults and describes its configuration', () => {
    const callback = new LoggerCallback();
    // The default logger drops info, so this must simply not throw.
    expect(() => callback.onRecv(clt(), { a: 1 })).not.toThrow();
    expect(String(callback)).toBe('LoggerCallback<level: info, recv: info, sent: info, event: info, problem: warn>');
    // `console` type-checks as a Logger (silenced here to keep the test output clean).
    expect(String(new LoggerCallback({ logger: console, level: 'silent' }))).toContain('level: silent');
  });
});
