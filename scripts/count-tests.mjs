// Sums the vitest JSON reports that the test run wrote (one per package) and prints the closing
// line CI reads: "tests: N passed, N failed". A package that should have reported and did not
// counts as one failure, so a crashed runner can never look like a clean run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [reportDir, ...packageDirs] = process.argv.slice(2);
if (!reportDir) {
  console.error('usage: count-tests.mjs REPORT_DIR [PACKAGE_DIR ...]');
  process.exit(2);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const reports = existsSync(reportDir) ? readdirSync(reportDir).filter((f) => f.endsWith('.json')) : [];
for (const file of reports) {
  const report = JSON.parse(readFileSync(join(reportDir, file), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // Name each failure here, next to the closing line, where a truncated CI log still shows it.
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      if (test.status !== 'failed') continue;
      const reason = String(test.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300);
      console.log(`FAILED ${file.replace(/\.json$/, '')}: ${test.fullName}\n  ${reason}`);
    }
  }
  if (report.success === false && (report.numFailedTests ?? 0) === 0) {
    console.error(`${file}: the run failed outside any test (a suite did not load)`);
    failed += 1;
  }
}
for (const dir of packageDirs) {
  const name = dir.split('/').pop();
  if (!reports.includes(`${name}.json`)) {
    console.error(`${name}: no test report was written`);
    failed += 1;
  }
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
