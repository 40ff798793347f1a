import type { ConId } from '../connection/con-id.js';
import type { NetError } from '../errors/net-error.js';
import type { Callbacks } from './callbacks.js';
import { defaultLogger, LOG_LEVEL_ORDER, type Logger, type LogLevel } from './logger.js';

/** Options of a {@link LoggerCallback}. */
export interface LoggerCallbackOptions {
  /** Where lines go: any `{ debug, info, warn, error }` object, such as `console` or pino. Default {@link defaultLogger}. */
  readonly logger?: Logger;
  /** The threshold: events configured below it are skipped without building a line. Default `'info'`. */
  readonly level?: LogLevel;
  /** Level of `onRecv` lines; `'silent'` never logs them. Default `'info'`. */
  readonly recvLevel?: LogLevel;
  /** Level of `onSent` lines; `'silent'` never logs them. Default `'info'`. */
  readonly sentLevel?: LogLevel;
  /** Level of `onConnected` and clean `onDisconnected` lines. Default `'info'`. */
  readonly eventLevel?: LogLevel;
  /** Level of `onRejected` and of `onDisconnected` with a reason. Default `'warn'`. */
  readonly problemLevel?: LogLevel;
}

/** The logger method a line is written with, or `undefined` when that kind of line is off. */
type Method = Exclude<LogLevel, 'silent'> | undefined;

/**
 * Logs every message and connection event, for example
 * `onRecv clt@127.0.0.1:5000->127.0.0.1:8080` with the message passed as the logger's structured
 * `data` argument (never stringified, so a structured logger keeps its fields).
 *
 * Whether each kind of line is on is decided once, in the constructor: an event below the
 * `level` threshold costs one property check and builds no string. Note that the default logger
 * drops `info`; pass `logger: console` (or your own) to see message lines.
 */
export class LoggerCallback<Send = unknown, Recv = unknown> implements Callbacks<Send, Recv> {
  private readonly _logger: Logger;
  private readonly _recv: Method;
  private readonly _sent: Method;
  private readonly _event: Method;
  private readonly _problem: Method;
  private readonly _description: string;

  constructor(options: LoggerCallbackOptions = {}) {
    const threshold = options.level ?? 'info';
    const recvLevel = options.recvLevel ?? 'info';
    const sentLevel = options.sentLevel ?? 'info';
    const eventLevel = options.eventLevel ?? 'info';
    const problemLevel = options.problemLevel ?? 'warn';
    this._logger = options.logger ?? defaultLogger;
    this._recv = enabled(recvLevel, threshold);
    this._sent = enabled(sentLevel, threshold);
    this._event = enabled(eventLevel, threshold);
    this._problem = enabled(problemLevel, threshold);
    this._description = `LoggerCallback<level: ${threshold}, recv: ${recvLevel}, sent: ${sentLevel}, event: ${eventLevel}, problem: ${problemLevel}>`;
  }

  /** Logs `onRecv <conId>` with the message as data. */
  onRecv(conId: ConId, message: Recv): void {
    // Call through the logger object so loggers that rely on `this` (pino) keep working.
    if (this._recv !== undefined) this._logger[this._recv](`onRecv ${conId.toString()}`, message);
  }

  /** Logs `onSent <conId>` with the message as data. */
  onSent(conId: ConId, message: Send): void {
    if (this._sent !== undefined) this._logger[this._sent](`onSent ${conId.toString()}`, message);
  }

  /** Logs `onConnected <conId>`. */
  onConnected(conId: ConId): void {
    if (this._event !== undefined) this._logger[this._event](`onConnected ${conId.toString()}`);
  }

  /** Logs `onDisconnected <conId>`; a disconnect with a reason is a problem and carries it as data. */
  onDisconnected(conId: ConId, reason: NetError | undefined): void {
    if (reason === undefined) {
      if (this._event !== undefined) this._logger[this._event](`onDisconnected ${conId.toString()}`);
    } else if (this._problem !== undefined) {
      this._logger[this._problem](`onDisconnected ${conId.toString()}`, reason);
    }
  }

  /** Logs `onRejected <conId>` with the reason as data. */
  onRejected(conId: ConId, reason: NetError): void {
    if (this._problem !== undefined) this._logger[this._problem](`onRejected ${conId.toString()}`, reason);
  }

  /** Describes the configured levels. */
  toString(): string {
    return this._description;
  }
}

function enabled(level: LogLevel, threshold: LogLevel): Method {
  // 'silent' ranks highest, so it would pass every threshold; it means "never" instead.
  if (level === 'silent' || LOG_LEVEL_ORDER[level] < LOG_LEVEL_ORDER[threshold]) return undefined;
  return level;
}
