/**
 * Where `@net` writes diagnostics: any object with these four methods, such as `console` or a
 * pino logger. Each method takes a message and optional structured data.
 */
export interface Logger {
  /** Fine-grained detail, normally off. */
  debug(message: string, data?: unknown): void;
  /** Normal events: connected, disconnected. */
  info(message: string, data?: unknown): void;
  /** Something unexpected that `@net` handled. */
  warn(message: string, data?: unknown): void;
  /** Something failed. */
  error(message: string, data?: unknown): void;
}

/** Severity levels, lowest first; `'silent'` turns a logger off. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** The order of {@link LogLevel}s, for comparisons. */
export const LOG_LEVEL_ORDER: Readonly<Record<LogLevel, number>> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 100,
};

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** The logger `@net` uses when given none: the console, from `warn` up. */
export const defaultLogger: Logger = {
  debug() {},
  info() {},
  warn: (message, data) => (data === undefined ? console.warn(message) : console.warn(message, data)),
  error: (message, data) => (data === undefined ? console.error(message) : console.error(message, data)),
};
