#!/usr/bin/env bash
# Builds the Miniflux that the sync tests run (cli/miniflux_test.go) into
# the user cache dir, where the tests look for it, unless it is there.
# Prints the binary's path.
set -euo pipefail
module=miniflux.app/v2@v2.3.5 # keep in step with minifluxModule in cli/miniflux_test.go
dir="${XDG_CACHE_HOME:-$HOME/.cache}/byline-test/${module//\//_}"
bin="$dir/miniflux"
if [ ! -x "$bin" ]; then
  mkdir -p "$dir"
  gobin=$(mktemp -d "$dir/build-XXXXXX")
  trap 'rm -rf "$gobin"' EXIT
  (cd "$gobin" && GOBIN="$gobin" CGO_ENABLED=0 GOFLAGS=-mod=mod go install "$module")
  mv "$gobin"/* "$bin"
fi
echo "$bin"
