// Every TypeScript block in the guide and the package READMEs is type-checked against the built
// packages (one compiler program for all of them, with the repository's strict base settings) and
// then run in a Node process of its own, which must exit 0 on its own: a block that leaves a
// socket, a timer or a thread behind hangs and fails at the timeout.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { allBlocks, type DocBlock, DOCS_DIR, GENERATED_DIR, REPO_ROOT } from './doc-blocks.js';

const RUN_TIMEOUT_MS = 30_000;
const blocks = allBlocks();

function sourcePath(block: DocBlock): string {
  return join(GENERATED_DIR, `${block.id}.ts`);
}

/** A block that neither imports nor exports is still a module, so it may use top-level await. */
function moduleText(block: DocBlock): string {
  return /^\s*(import|export)\s/m.test(block.code) ? `${block.code}\n` : `${block.code}\nexport {};\n`;
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(DOCS_DIR, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (parsed === undefined) throw new Error(`cannot read ${configPath}`);
  return {
    ...parsed.options,
    noEmit: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    outDir: undefined,
    rootDir: GENERATED_DIR,
  };
}

/** Diagnostics per generated file, with positions translated back to the page. */
const problems = new Map<string, string[]>();

function describeDiagnostic(diagnostic: ts.Diagnostic, block: DocBlock | undefined): string {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (diagnostic.file === undefined || diagnostic.start === undefined) return text;
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  if (block === undefined) return `${relative(REPO_ROOT, diagnostic.file.fileName)}:${line + 1}: ${text}`;
  return `${block.page}:${block.line + 1 + line}: TS${diagnostic.code}: ${text}`;
}

beforeAll(() => {
  rmSync(GENERATED_DIR, { recursive: true, force: true });
  mkdirSync(GENERATED_DIR, { recursive: true });
  const byFile = new Map<string, DocBlock>();
  for (const block of blocks) {
    const path = sourcePath(block);
    writeFileSync(path, moduleText(block));
    byFile.set(path, block);
  }
  const program = ts.createProgram([...byFile.keys()], compilerOptions());
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  if (global.length > 0) throw new Error(global.map((d) => describeDiagnostic(d, undefined)).join('\n'));
  for (const [path, block] of byFile) {
    const file = program.getSourceFile(path);
    if (file === undefined) throw new Error(`${path} is not in the program`);
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    problems.set(
      path,
      diagnostics.map((d) => describeDiagnostic(d, block)),
    );
  }
  const emitted = program.emit();
  const emitErrors = emitted.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (emitErrors.length > 0) throw new Error(emitErrors.map((d) => describeDiagnostic(d, undefined)).join('\n'));
}, 120_000);

interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runBlock(block: DocBlock): Promise<RunResult> {
  const script = sourcePath(block).replace(/\.ts$/, '.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      cwd: DOCS_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: RUN_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('documentation blocks', () => {
  it('finds blocks to test', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(new Set(blocks.map((b) => b.id)).size).toBe(blocks.length);
  });

  for (const block of blocks) {
    const where = `${block.page}:${block.line}`;
    it(`${where} type-checks`, () => {
      expect(problems.get(sourcePath(block)), where).toEqual([]);
    });
    if (!block.run) continue;
    it(
      `${where} runs`,
      async () => {
        const result = await runBlock(block);
        const report = `${where}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
        expect(result.signal, `killed (timeout ${RUN_TIMEOUT_MS} ms?): ${report}`).toBeNull();
        expect(result.code, report).toBe(0);
        expect(result.stderr, report).toBe('');
        if (block.output !== undefined) expect(result.stdout.trimEnd(), report).toBe(block.output.trimEnd());
      },
      RUN_TIMEOUT_MS + 5_000,
    );
  }
});
