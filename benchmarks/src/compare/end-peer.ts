import type { ChildProcess } from 'node:child_process';

/** Resolves once `child` has exited, or after `limitMs` (false then). */
function exited(child: ChildProcess, limitMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, limitMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/**
 * Ends a peer process cleanly and waits until it is gone: SIGTERM first (the Node peers exit
 * through their exit hooks on it, which close their services and remove their socket files), then
 * SIGKILL if it has not exited within `graceMs`.
 */
export async function endPeer(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (await exited(child, graceMs)) return;
  child.kill('SIGKILL');
  await exited(child, graceMs);
}
