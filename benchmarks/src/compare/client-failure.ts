import type { ChildProcess } from 'node:child_process';
import type { ClientResult } from './protocol.js';

/**
 * Why a client program failed, in one line: its exit code, the error it threw (a thrown error's
 * first line and its `code`, which Node prints above the object's fields and its own version
 * line), and the last lines of its stderr.
 */
export function clientFailure(code: number | null, stderr: string): Error {
  const lines = plain(stderr)
    .trim()
    .split('\n')
    .map((line) => line.trim());
  const thrown = lines.find((line) => /^(\w*Error|Uncaught)\b/.test(line));
  const coded = lines.find((line) => /^code: /.test(line));
  const tail = lines.slice(-3).join(' | ');
  const what = [thrown, coded].filter((line) => line !== undefined).join(' ');
  return new Error(`client exited with ${String(code)}: ${what === '' ? tail : `${what} (… ${tail})`}`);
}

// Terminal colours (Deno's reports have them) and where the files are on this machine: a report
// names a file by its name, so that a summary says nothing of the machine it ran on.
const COLOURS = /\x1b\[[0-9;]*m/g;
const FILE_PATHS = /(?:file:\/\/)?\/(?:[^\s():/]+\/)+([^\s():/]+)/g;

/** `text` without terminal colours, and with every absolute path or file URL cut to its file's name. */
export function plain(text: string): string {
  return text.replace(COLOURS, '').replace(FILE_PATHS, '$1');
}

/**
 * A client program's result: its last output line, a JSON object, once it ended with status 0;
 * otherwise its failure ({@link clientFailure}). It is killed after `limitMs`.
 */
export function clientResult(child: ChildProcess, limitMs: number): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    // 'close' comes after stdout has been read to its end; 'exit' can come before.
    child.once('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as ClientResult);
      else reject(clientFailure(code, err));
    });
  });
}
