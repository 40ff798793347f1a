import { ErrorCode, NetError } from '@net/core';

/** Command-line options as `--name value` pairs (a name may repeat). */
export class CliArgs {
  private readonly _values = new Map<string, string[]>();

  /** @throws NetError `NET_ERR_INVALID_ARGUMENT` for a stray word or a name without a value */
  constructor(argv: readonly string[], known: readonly string[]) {
    for (let i = 0; i < argv.length; i += 2) {
      const flag = argv[i];
      const value = argv[i + 1];
      const name = flag.startsWith('--') ? flag.slice(2) : '';
      if (!known.includes(name))
        throw new NetError(
          ErrorCode.INVALID_ARGUMENT,
          `unknown option ${flag}; known: ${known.map((k) => `--${k}`).join(' ')}`,
        );
      if (value === undefined) throw new NetError(ErrorCode.INVALID_ARGUMENT, `${flag} needs a value`);
      this._values.set(name, [...(this._values.get(name) ?? []), value]);
    }
  }

  /** The last value given for `name`, or `fallback`. */
  text(name: string, fallback: string): string {
    return this._values.get(name)?.at(-1) ?? fallback;
  }

  /** Every value given for `name`. */
  all(name: string): string[] {
    return this._values.get(name) ?? [];
  }

  /** A whole number from 0. @throws NetError `NET_ERR_INVALID_ARGUMENT` */
  count(name: string, fallback: number): number {
    const text = this._values.get(name)?.at(-1);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 0)
      throw new NetError(ErrorCode.INVALID_ARGUMENT, `--${name} must be a whole number from 0, got ${text}`);
    return value;
  }
}

/** Runs `main`, printing a coded error as one line and exiting with status 1. */
export function runMain(main: () => Promise<void> | void): void {
  const fail = (error: unknown): void => {
    const code = NetError.isNetError(error) ? `${error.code}: ` : '';
    process.stderr.write(`${code}${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  };
  try {
    const done = main();
    if (done instanceof Promise) done.catch(fail);
  } catch (error) {
    fail(error);
  }
}
