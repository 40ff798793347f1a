// The longest delay a timer takes (2^31 - 1 ms); a keep-alive timer never fires in practice.
const KEEP_ALIVE_MS = 2 ** 31 - 1;
// How often a runtime without Atomics.waitAsync looks at the word again.
const POLL_MS = 1;

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) => { async: boolean; value: Promise<string> | string };

const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

function keepAlive(): void {
  // Nothing to do: the timer exists only to hold the event loop open.
}

/**
 * Resolves once `header[index]` is no longer 1 or was notified, or after `timeoutMs`, on the event
 * loop. `Atomics.waitAsync` holds nothing open on its own (a process whose only pending work is
 * such a wait exits, on Node, Deno and Bun alike), so with `ref` a timer that never fires holds
 * the process while it waits, and is cleared after.
 */
export async function awaitChange(header: Int32Array, index: number, timeoutMs: number, ref: boolean): Promise<void> {
  const hold = ref ? setTimeout(keepAlive, KEEP_ALIVE_MS) : undefined;
  try {
    if (waitAsync !== undefined) {
      const waiting = waitAsync(header, index, 1, timeoutMs);
      if (waiting.async) await waiting.value;
      return;
    }
    const deadline = performance.now() + timeoutMs;
    while (Atomics.load(header, index) === 1 && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const poll = setTimeout(resolve, POLL_MS);
        if (!ref) unrefTimer(poll);
      });
    }
  } finally {
    if (hold !== undefined) clearTimeout(hold);
  }
}

function unrefTimer(timer: unknown): void {
  (timer as { unref?: () => void }).unref?.();
}
