#!/usr/bin/env bash
# The picture figures (issue 15), on stories served from loopback by
# bench/cmd/photoserver:
#   - peak RSS and wall time of `byline read` on a page whose lead photo
#     is a 4000×3000 JPEG (fetched, checked, decoded, shrunk, kept, drawn),
#     and of reading it again by ID, offline, from the cache;
#   - the reader's open-to-frame and scrolling benchmarks with three
#     half-block pictures at 120×40 (go test -bench, 5 runs each).
#   bash bench/pictures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install -y time)" >&2; exit 1; }
work=$(mktemp -d)
cleanup() {
	[[ -n ${server:-} ]] && kill "$server" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/byline" .
go build -o "$work/photoserver" ./bench/cmd/photoserver
"$work/photoserver" -url-file "$work/url" -testdata cli/testdata &
server=$!
for _ in $(seq 100); do [[ -s $work/url ]] && break; sleep 0.1; done
base=$(cat "$work/url")
closed=http://127.0.0.1:1
export HTTP_PROXY=$closed HTTPS_PROXY=$closed http_proxy=$closed https_proxy=$closed

echo "load: $(uptime | sed 's/.*load average: //')"
measure() { # LABEL ARGS...: peak RSS (KB) and wall time of byline ARGS
	local label=$1
	shift
	/usr/bin/time -f "%M %e" -o "$work/time" "$work/byline" "$@" >"$work/out"
	read -r rss wall <"$work/time"
	printf '%-44s %6d MiB peak RSS  %5ss\n' "$label" $((rss / 1024)) "$wall"
}
for run in 1 2 3; do
	mkdir -p "$work/home$run"
	: >"$work/home$run/urls"
	measure "read 4000×3000 lead photo (run $run)" --home "$work/home$run" read "$base/big-story" --format ansi --images halfblocks --width 100
done
grep -q "▀" "$work/out" || { echo "no picture was drawn" >&2; exit 1; }

printf '%s/feed.xml\n' "$base" >"$work/home1/urls"
# --full-text keeps the pages, and their pictures, for reading offline.
"$work/byline" --home "$work/home1" refresh --full-text >/dev/null
id=$("$work/byline" --home "$work/home1" list --json | awk -F'[:,]' '/"id"/ { id = $2 } /"url".*big-story/ { print id + 0; exit }')
kill "$server"
server=
measure "read ID offline, from the cache" --home "$work/home1" read "$id" --format ansi --images halfblocks --width 100
grep -q "▀" "$work/out" || { echo "offline: no picture was drawn" >&2; exit 1; }

go test -run '^$' -bench 'WithPictures' -count 5 ./ui | grep '^Benchmark'
