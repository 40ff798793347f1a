import { type ChildProcess, spawn } from 'node:child_process';

/** The commands started by {@link run} that have not ended yet. */
const running = new Set<ChildProcess>();

/** Kills a command and everything it started (npx starts pnpm, npm may start helpers). */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}

/**
 * Kills every command that {@link run} started and that is still running. For test teardown: a
 * test that timed out leaves its command running, and its temporary directory must not be
 * written to after it is removed.
 */
export function killRunning(): void {
  for (const child of running) killTree(child);
}

/** How a command ended and what it printed. */
export interface RunResult {
  /** The command line, for messages. */
  readonly command: string;
  /** The exit code, or `null` when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, if any (`SIGKILL` after the time limit). */
  readonly signal: NodeJS.Signals | null;
  /** True when it ran past the time limit and was killed. */
  readonly timedOut: boolean;
  /** Everything written to stdout. */
  readonly stdout: string;
  /** Everything written to stderr. */
  readonly stderr: string;
}

/** Options of {@link run}. */
export interface RunOptions {
  /** The working directory. */
  readonly cwd: string;
  /** The whole environment of the child (nothing is inherited beyond it). */
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the command after this many ms; default 60 s. */
  readonly timeoutMs?: number;
}

/**
 * Runs a command to its end and collects its output. Asynchronous, so that a hung command cannot
 * stall the test worker: after `timeoutMs` it is killed and the result says so. The command leads
 * a process group of its own, so that killing it also ends whatever it started.
 */
export function run(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const command = [file, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const guard = setTimeout(() => {
      timedOut = true;
      killTree(child);
    }, options.timeoutMs ?? 60_000);
    child.once('error', (error) => {
      clearTimeout(guard);
      running.delete(child);
      reject(new Error(`${command}: could not start: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(guard);
      running.delete(child);
      resolve({ command, code, signal, timedOut, stdout, stderr });
    });
  });
}

/** One paragraph about a run for a failure message: the command, how it ended, its output. */
export function describeRun(result: RunResult): string {
  const ending = result.timedOut
    ? 'was killed after its time limit'
    : result.signal
      ? `ended by ${result.signal}`
      : `exited with ${String(result.code)}`;
  const output = [result.stdout.trim(), result.stderr.trim()].filter((text) => text !== '').join('\n');
  return `\`${result.command}\` ${ending}${output === '' ? ' and printed nothing' : `:\n${output}`}`;
}

/** True when the command exited with 0 by itself. */
export function succeeded(result: RunResult): boolean {
  return result.code === 0 && !result.timedOut;
}
