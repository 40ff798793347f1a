/*
 * Threads this package owns (a poller thread, a service's threads) must be stopped before the
 * process ends: a thread ended from outside while inside a C-library call does not end cleanly on
 * every runtime. One 'exit' listener runs every owner's stop, so that a program with many pollers
 * or services does not pile up listeners (Node warns past ten).
 */

const hooks = new Set<() => void>();
let listening = false;

function runHooks(): void {
  let first: unknown;
  let failed = false;
  // Each owner's stop runs even when one before it threw; the first failure is not lost.
  for (const hook of hooks) {
    hooks.delete(hook);
    try {
      hook();
    } catch (error) {
      if (!failed) first = error;
      failed = true;
    }
  }
  if (failed) throw first;
}

/** Runs `hook` as the process exits, once, unless {@link offProcessExit} took it off before. */
export function onProcessExit(hook: () => void): void {
  if (!listening) {
    process.on('exit', runHooks);
    listening = true;
  }
  hooks.add(hook);
}

/** Takes `hook` off: the owner stopped by itself. */
export function offProcessExit(hook: () => void): void {
  hooks.delete(hook);
}

/** How many owners wait for the process's exit (for tests). */
export function processExitHookCount(): number {
  return hooks.size;
}
