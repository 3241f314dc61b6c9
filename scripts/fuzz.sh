#!/usr/bin/env bash
# Runs every fuzz target in the module, one at a time, for FUZZTIME each
# (the first argument, else $FUZZTIME, else 15s). Targets are found by
# grepping for `func Fuzz` in the test files, so new ones run without
# editing this script. Stops at the first failure and says where the
# crashing input was written; `go test` replays it from then on.
#
#   bash scripts/fuzz.sh            # 15s per target
#   FUZZTIME=10m bash scripts/fuzz.sh
#   FUZZ_PARALLEL=1 bash scripts/fuzz.sh 1m
#   go test -run '^$' -fuzz '^FuzzText$' -fuzztime 1h ./sanitize   # one target
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${1:-${FUZZTIME:-15s}}
parallel=${FUZZ_PARALLEL:-2}
# Time spent shrinking each new or crashing input. Go's default of 60s
# would eat a short run of the slower targets (the cache's).
minimize=${FUZZMINIMIZETIME:-10s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# "dir name" for every fuzz target, in a stable order.
targets=$(find . -name '*_test.go' -not -path './.git/*' -not -path '*/testdata/*' -print0 |
  xargs -0 grep -H '^func Fuzz[A-Za-z0-9_]*(\(f\|[a-z]*\) \*testing\.F)' |
  sed -E -e 's|^\./([^/]*_test\.go:)|././\1|' -e 's|^\./(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*|\1 \2|' | sort -u || true)
if [ -z "$targets" ]; then
  echo "fuzz.sh: no fuzz targets found" >&2
  exit 1
fi

start=$SECONDS
while read -r dir name; do
  echo "== $name ./$dir ($fuzztime, -parallel=$parallel)"
  t0=$SECONDS
  if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimize" -parallel "$parallel" "./$dir" 2>&1 | tee "$log"; then
    crasher=$(sed -nE 's|.*Failing input written to (testdata/fuzz/[^ ]*).*|\1|p' "$log" | tail -n 1)
    if [ -n "$crasher" ]; then
      echo "fuzz.sh: $name failed; crasher written to $dir/$crasher" >&2
      echo "fuzz.sh: replay it with: go test -run '^$name/$(basename "$crasher")\$' ./$dir" >&2
    else
      echo "fuzz.sh: $name failed (see the output above)" >&2
    fi
    exit 1
  fi
  echo "== $name took $((SECONDS - t0))s"
done <<<"$targets"
echo "fuzz.sh: all $(wc -l <<<"$targets") targets passed in $((SECONDS - start))s"
