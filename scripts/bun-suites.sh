#!/usr/bin/env bash
# Runs test suites on Bun, for .ci/run:
#   scripts/bun-suites.sh REPORT_DIR PACKAGE_DIR[:PATH,PATH...]...
# Bun comes from the npm registry (the `bun` package), as CI reaches no other download site. Each
# package's tests run under Bun's own test runner (which runs the suites' vitest-style tests) against
# the dist/ the default Node built, from the package's src/ or only the PATHs given; its JUnit report
# goes to REPORT_DIR/<package basename>.xml, which count-tests.mjs reads. A package that crashes
# writes none, and that counts as a failure. Exits non-zero when the install failed or any suite did.
set -uo pipefail

report_dir="${1:?usage: bun-suites.sh REPORT_DIR PACKAGE_DIR[:PATHS]...}"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# A registry outage must turn CI red with a reason, not quietly skip a runtime.
if ! npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error bun; then
  echo "Bun: npm could not install bun; its suites did not run" >&2
  exit 1
fi
bin="$tmp/node_modules/.bin"
if ! version="$("$bin/bun" --version 2>&1)"; then
  echo "Bun: the bun package gave no working binary: $version" >&2
  exit 1
fi

# First on PATH, so that anything a test starts as its own runtime (process.execPath) is this Bun.
export PATH="$bin:$PATH"
mkdir -p "$report_dir"
echo "== Bun $version ($bin/bun): ${*}"

status=0
timings=()
for entry in "$@"; do
  dir="${entry%%:*}"
  paths=(./src)
  if [[ "$entry" == *:* ]]; then
    IFS=',' read -r -a paths <<< "${entry#*:}"
    paths=("${paths[@]/#/./}")
  fi
  start=$SECONDS
  echo "== Bun $version: $dir ${paths[*]}"
  (cd "$root/$dir" && bun test --timeout 120000 --reporter=junit --reporter-outfile="$report_dir/$(basename "$dir").xml" "${paths[@]}")
  code=$?
  [ "$code" -eq 0 ] || status=1
  timings+=("$dir $((SECONDS - start)) s, exit $code")
done

echo "== Bun $version done:"
printf '   %s\n' "${timings[@]}"
exit "$status"
