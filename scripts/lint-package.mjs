// Lints the package in the current directory against the house rules that tsc cannot check:
// the manifest shape every published package needs, TSDoc on every exported declaration, and
// patterns that must not appear in library source. Exits 1 and lists every finding.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const findings = [];
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const name = manifest.name ?? '(unnamed)';

if (!manifest.private) {
  if (manifest.type !== 'module') findings.push('package.json: "type" must be "module"');
  if (manifest.sideEffects !== false) findings.push('package.json: "sideEffects" must be false');
  if (manifest.engines?.node !== '>=20.19') findings.push('package.json: "engines.node" must be ">=20.19"');
  if (!Array.isArray(manifest.files)) findings.push('package.json: "files" must be an allow-list');
  const root = manifest.exports?.['.'];
  if (!root || typeof root !== 'object') findings.push('package.json: "exports" must map "." to conditions');
  else if (Object.keys(root)[0] !== 'types')
    findings.push('package.json: the "types" condition must come first in exports["."]');
  for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
    if (!dep.startsWith('@net/')) findings.push(`package.json: runtime dependency ${dep} (only @net/* is allowed)`);
    else if (range !== 'workspace:^')
      findings.push(`package.json: ${dep} must be "workspace:^" (packed as a caret range on the version beside it)`);
  }
}

function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== 'test-support' && entry !== 'node_modules') out.push(...sourceFiles(path));
    } else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts') && !entry.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out;
}

const exported =
  /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(class|function|const|let|interface|type|enum)\s+(\w+)/;
for (const file of sourceFiles('src')) {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, index) => {
    const where = `${relative('.', file)}:${index + 1}`;
    const match = exported.exec(line);
    if (match) {
      let previous = index - 1;
      while (previous >= 0 && lines[previous].trim() === '') previous--;
      // Overload signatures (and their continuation lines) share the comment above the first one.
      if (match[1] === 'function') {
        const overload = new RegExp(`^export\\s+function\\s+${match[2]}\\b`);
        while (
          previous >= 0 &&
          !lines[previous].trim().endsWith('*/') &&
          (overload.test(lines[previous]) || /^(\s|\))/.test(lines[previous]))
        )
          previous--;
      }
      if (previous < 0 || !lines[previous].trim().endsWith('*/'))
        findings.push(`${where}: exported ${match[1]} ${match[2]} has no TSDoc comment`);
    }
    if (!manifest.private) {
      if (/Buffer\.concat\(/.test(line))
        findings.push(`${where}: Buffer.concat in library code (keep chunks, copy only straddling frames)`);
      if (/console\.log\(/.test(line)) findings.push(`${where}: console.log in library code (use the logger)`);
    }
  });
}

if (findings.length > 0) {
  console.error(`${name}: ${findings.length} lint finding(s)`);
  for (const finding of findings) console.error(`  ${finding}`);
  process.exit(1);
}
console.log(`${name}: lint clean`);
