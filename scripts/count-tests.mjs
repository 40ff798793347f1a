// Sums the vitest JSON reports (and Bun's JUnit XML reports) that the test runs wrote (one per package and run) and prints the
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

const usage =
  'usage: count-tests.mjs REPORT_DIR [PACKAGE_DIR ...] | --reports DIR [--label TEXT] [--exit-status N] [PACKAGE_DIR ...] ...';

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

/** The totals of a JUnit XML report (its root element's) and the names of its failed test cases. */
function readJunit(xml) {
  const root = /<testsuites\b([^>]*)>/.exec(xml)?.[1] ?? '';
  const count = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
  const failed = [];
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    if (!/<(failure|error)\b/.test(match[2] ?? '')) continue;
    const attribute = (name) => new RegExp(`\\b${name}="([^"]*)"`).exec(match[1])?.[1] ?? '';
    const unescape = (text) =>
      text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&');
    const suite = attribute('classname');
    failed.push(unescape(suite === '' ? attribute('name') : `${suite} > ${attribute('name')}`));
  }
  return { tests: count('tests'), failures: count('failures'), skipped: count('skipped'), failed };
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const group of groups) {
  const tag = group.label ? `[${group.label}] ` : '';
  let groupPassed = 0;
  let groupFailed = 0;
  let groupSkipped = 0;
  const files = existsSync(group.dir) ? readdirSync(group.dir) : [];
  // Bun's runner writes JUnit XML: its counts and failures are read the same way.
  for (const file of files.filter((f) => f.endsWith('.xml'))) {
    const junit = readJunit(readFileSync(join(group.dir, file), 'utf8'));
    groupPassed += junit.tests - junit.failures - junit.skipped;
    groupFailed += junit.failures;
    groupSkipped += junit.skipped;
    for (const name of junit.failed) console.log(`FAILED ${tag}${file.replace(/\.xml$/, '')}: ${name}`);
    if (junit.tests === 0) {
      console.log(`FAILED ${tag}${file.replace(/\.xml$/, '')}: the report counts no test`);
      groupFailed += 1;
    }
  }
  const reports = files.filter((f) => f.endsWith('.json'));
  for (const file of reports) {
    const report = JSON.parse(readFileSync(join(group.dir, file), 'utf8'));
    groupPassed += report.numPassedTests ?? 0;
    groupFailed += report.numFailedTests ?? 0;
    groupSkipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // Name each failure here, next to the closing line, where a truncated CI log still shows it.
    for (const suite of report.testResults ?? []) {
      for (const test of suite.assertionResults ?? []) {
        if (test.status !== 'failed') continue;
        const reason = String(test.failureMessages?.[0] ?? '')
          .split('\n')[0]
          .slice(0, 300);
        console.log(`FAILED ${tag}${file.replace(/\.json$/, '')}: ${test.fullName}\n  ${reason}`);
      }
    }
    if (report.success === false && (report.numFailedTests ?? 0) === 0) {
      console.log(
        `FAILED ${tag}${file.replace(/\.json$/, '')}: the run failed outside any test (a suite did not load)`,
      );
      groupFailed += 1;
    }
  }
  for (const dir of group.packages) {
    const name = dir.split(':')[0].split('/').pop();
    if (!reports.includes(`${name}.json`) && !files.includes(`${name}.xml`)) {
      console.log(`FAILED ${tag}${name}: no test report was written`);
      groupFailed += 1;
    }
  }
  if (group.exitStatus !== 0 && groupFailed === 0) {
    console.log(`FAILED ${tag}the run exited ${group.exitStatus} outside the counted tests (see its log above)`);
    groupFailed += 1;
  }
  if (groups.length > 1) {
    console.log(
      `${group.label || group.dir}: ${groupPassed} passed, ${groupFailed} failed${groupSkipped ? `, ${groupSkipped} skipped` : ''}`,
    );
  }
  passed += groupPassed;
  failed += groupFailed;
  skipped += groupSkipped;
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
