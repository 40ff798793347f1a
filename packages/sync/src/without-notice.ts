/**
 * Runs `load` (which loads one of Node's experimental built-in modules) with the one notice Node
 * prints for that module held back: the library chose the module, not the program, and the program
 * asked for nothing experimental. Only warnings whose text matches `notice` are held back, and only
 * while `load` runs; it is synchronous, so nothing else can warn in between.
 */
export function withoutNotice<T>(notice: RegExp, load: () => T): T {
  const emitWarning = process.emitWarning;
  process.emitWarning = function emitUnlessNotice(this: unknown, warning: string | Error, ...rest: unknown[]): void {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (notice.test(text)) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  };
  try {
    return load();
  } finally {
    process.emitWarning = emitWarning;
  }
}
