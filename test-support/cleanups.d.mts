/** What a test opened, closed after it newest first (see cleanups.mjs for the pattern). */
export class Cleanups {
  /** Registers `closer` to run after the test. */
  add(closer: () => unknown): void;
  /** Registers `resource.close()` to run after the test; returns `resource`. */
  close<T extends { close(): unknown }>(resource: T): T;
  /** Runs every closer, newest first, each even when an earlier one threw; then throws the first error. */
  run(): Promise<void>;
}
