import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * The names each package's main entry point exports, values and types alike, sorted: what a user
 * can import from it. Read from the built declarations (`dist/index.d.ts`), re-exports followed,
 * the way a user's compiler sees them; one program for every package (parsing is the slow part,
 * and the packages share their declarations). Only names are read, so the standard library's
 * declarations are left out.
 * @param dirs the packages' directories (absolute)
 * @returns the names, by directory
 */
export function publicNames(dirs: readonly string[]): Map<string, string[]> {
  const entries = dirs.map((dir) => join(dir, 'dist', 'index.d.ts'));
  for (const entry of entries) if (!existsSync(entry)) throw new Error(`${entry} is missing: build the package first`);
  const program = ts.createProgram(entries, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    noLib: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const names = new Map<string, string[]>();
  dirs.forEach((dir, i) => {
    const source = program.getSourceFile(entries[i]);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`${entries[i]} is not a module`);
    const exported = checker.getExportsOfModule(module).map((symbol) => symbol.getName());
    names.set(
      dir,
      exported.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });
  return names;
}
