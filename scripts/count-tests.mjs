// Sums the vitest JSON reports that the test runs wrote (one per package and run) and prints the
// closing line CI reads: "tests: N passed, N failed". A package that should have reported and did
// not counts as one failure, so a crashed runner can never look like a clean run.
//
//   count-tests.mjs REPORT_DIR [PACKAGE_DIR ...]
//   count-tests.mjs --reports DIR [--label TEXT] [--exit-status N] [PACKAGE_DIR ...] [--reports ...]
//
// Each --reports starts a group: one run (the default Node's test command, or one other Node's
// suites) with its own report directory, so no run overwrites another's reports. The label (the
// Node version) names the run in every failure line. A run that exited non-zero while its reports
// show no failure counts as one failure: vitest does not count an unhandled error as a failed test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const usage = 'usage: count-tests.mjs REPORT_DIR [PACKAGE_DIR ...] | --reports DIR [--label TEXT] [--exit-status N] [PACKAGE_DIR ...] ...';

/** @returns {{ dir: string, label: string, exitStatus: number, packages: string[] }[]} */
function parseGroups(args) {
  const groups = [];
  if (args.length > 0 && !args[0].startsWith('--')) {
    groups.push({ dir: args[0], label: '', exitStatus: 0, packages: args.slice(1) });
    return groups;
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      if (i + 1 >= args.length) throw new Error(`${arg} needs a value`);
      return args[++i];
    };
    if (arg === '--reports') groups.push({ dir: value(), label: '', exitStatus: 0, packages: [] });
    else if (groups.length === 0) throw new Error(`${arg} before any --reports`);
    else if (arg === '--label') groups.at(-1).label = value();
    else if (arg === '--exit-status') groups.at(-1).exitStatus = Number(value());
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else groups.at(-1).packages.push(arg);
  }
  return groups;
}

let groups;
try {
  groups = parseGroups(process.argv.slice(2));
} catch (error) {
  console.error(`${error.message}\n${usage}`);
  process.exit(2);
}
if (groups.length === 0) {
  console.error(usage);
  process.exit(2);
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const group of groups) {
  const tag = group.label ? `[${group.label}] ` : '';
  let groupPassed = 0;
  let groupFailed = 0;
  let groupSkipped = 0;
  const reports = existsSync(group.dir) ? readdirSync(group.dir).filter((f) => f.endsWith('.json')) : [];
  for (const file of reports) {
    const report = JSON.parse(readFileSync(join(group.dir, file), 'utf8'));
    groupPassed += report.numPassedTests ?? 0;
    groupFailed += report.numFailedTests ?? 0;
    groupSkipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // Name each failure here, next to the closing line, where a truncated CI log still shows it.
    for (const suite of report.testResults ?? []) {
      for (const test of suite.assertionResults ?? []) {
        if (test.status !== 'failed') continue;
        const reason = String(test.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300);
        console.log(`FAILED ${tag}${file.replace(/\.json$/, '')}: ${test.fullName}\n  ${reason}`);
      }
    }
    if (report.success === false && (report.numFailedTests ?? 0) === 0) {
      console.log(`FAILED ${tag}${file.replace(/\.json$/, '')}: the run failed outside any test (a suite did not load)`);
      groupFailed += 1;
    }
  }
  for (const dir of group.packages) {
    const name = dir.split('/').pop();
    if (!reports.includes(`${name}.json`)) {
      console.log(`FAILED ${tag}${name}: no test report was written`);
      groupFailed += 1;
    }
  }
  if (group.exitStatus !== 0 && groupFailed === 0) {
    console.log(`FAILED ${tag}the run exited ${group.exitStatus} outside the counted tests (see its log above)`);
    groupFailed += 1;
  }
  if (groups.length > 1) {
    console.log(`${group.label || group.dir}: ${groupPassed} passed, ${groupFailed} failed${groupSkipped ? `, ${groupSkipped} skipped` : ''}`);
  }
  passed += groupPassed;
  failed += groupFailed;
  skipped += groupSkipped;
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
