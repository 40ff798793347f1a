import type { ChildProcess } from 'node:child_process';
import type { ClientResult } from './protocol.js';

/**
 * Why a client program failed, in one line: its exit code, the error it threw (a thrown error's
 * first line and its `code`, which Node prints above the object's fields and its own version
 * line), and the last lines of its stderr.
 */
export function clientFailure(code: number | null, stderr: string): Error {
  const lines = stderr
    .trim()
    .split('\n')
    .map((line) => line.trim());
  const thrown = lines.find((line) => /^(\w*Error|Uncaught)\b/.test(line));
  const coded = lines.find((line) => /^code: /.test(line));
  const tail = lines.slice(-3).join(' | ');
  const what = [thrown, coded].filter((line) => line !== undefined).join(' ');
  return new Error(`client exited with ${String(code)}: ${what === '' ? tail : `${what} (… ${tail})`}`);
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
