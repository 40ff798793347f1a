import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';

/** True when the module at `moduleUrl` is the script node was started with (not imported). */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(script).href === moduleUrl;
}

/** A parsed command line: `--name value` options, bare `--flag`s and positional arguments. */
export class Args {
  private readonly _values = new Map<string, string>();
  private readonly _flags = new Set<string>();
  readonly positional: string[] = [];

  /**
   * @param argv the arguments after the script name
   * @param valued option names that take a value (`--count 5` or `--count=5`)
   */
  constructor(argv: readonly string[], valued: readonly string[]) {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      // `pnpm run script -- --flag` passes the separator on: it is not an option.
      if (arg === '--') continue;
      if (!arg.startsWith('--')) {
        this.positional.push(arg);
        continue;
      }
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (valued.includes(name)) {
        const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
        if (value === undefined) throw new Error(`--${name} needs a value`);
        this._values.set(name, value);
      } else if (eq === -1) {
        this._flags.add(name);
      } else {
        throw new Error(`--${name} takes no value`);
      }
    }
  }

  flag(name: string): boolean {
    return this._flags.has(name);
  }

  string(name: string): string | undefined {
    return this._values.get(name);
  }

  /** A whole number option, at least `min`. */
  integer(name: string, fallback: number, min = 0): number {
    const text = this._values.get(name);
    if (text === undefined) return fallback;
    const value = Number(text.replaceAll('_', ''));
    if (!Number.isSafeInteger(value) || value < min)
      throw new Error(`--${name} must be a whole number of at least ${min}, got '${text}'`);
    return value;
  }

  /** Throws for any flag or option not in `known`. */
  rejectUnknown(known: readonly string[]): void {
    for (const name of [...this._flags, ...this._values.keys()]) {
      if (!known.includes(name)) throw new Error(`unknown option --${name}`);
    }
  }
}

/** `node v20.20.2, AMD EPYC 7B13 (2 cores), linux x64` */
export function machineLine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  return `node ${process.version}, ${model} (${list.length} cores), ${process.platform} ${process.arch}`;
}

/** `12,345` */
export function grouped(value: number): string {
  return value.toLocaleString('en-US');
}

/** A number with `digits` decimals and thousands separators. */
export function fixed(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
