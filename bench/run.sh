#!/usr/bin/env bash
# Measures byline against its speed and size targets on synthetic feeds
# served from loopback (bench/cmd/feedserver), and prints a table of figures
# against targets. See bench/README.md for what each figure means.
#
#   bash bench/run.sh                 # everything (several minutes)
#   bash bench/run.sh --quick         # small sizes: a smoke run of the plumbing
#   bash bench/run.sh --only warm     # one group: cold | warm | big | query | page
#   BYLINE=/path/to/byline bash bench/run.sh   # measure that binary, don't build
set -euo pipefail

# --- Knobs ------------------------------------------------------------------

# One of feedserver.TopicWords, so the search has hits in every feed.
SEARCH_WORD=lighthouse
LATENCY=50ms
ITEMS=50
COLD_FEEDS=200      # cold and warm figures
COLD_BIG_FEEDS=1000
CACHE_FEEDS=2000    # × ITEMS articles for the query figures
RUNS=5              # timed refreshes per figure
QUERY_RUNS=30       # timed runs per query figure
RSS_RUNS=3          # runs per peak-RSS figure (the maximum is reported)

# Targets (seconds, milliseconds, MiB, ratio).
T_COLD=0.6 T_COLD_BIG=3 T_WARM=0.4
T_LIST=50 T_COUNT=50 T_SEARCH=100 T_FEEDS=50 T_RSS=60 T_DB_RATIO=1.5
T_READ=50 T_PAGE_RSS=100

# --- Arguments --------------------------------------------------------------

QUICK=0 ONLY=""
usage() { sed -n '2,9s/^# \{0,1\}//p' "$0"; }
while (($#)); do
	case $1 in
	--quick) QUICK=1 ;;
	--only)
		ONLY=${2:-}
		shift
		[[ $ONLY =~ ^(cold|warm|big|query|page)$ ]] || { usage >&2; exit 2; }
		;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
if ((QUICK)); then
	ITEMS=10 COLD_FEEDS=40 COLD_BIG_FEEDS=100 CACHE_FEEDS=100
	RUNS=3 QUERY_RUNS=5 RSS_RUNS=1
fi
wants() { [[ -z $ONLY || $ONLY == "$1" ]]; }

# --- Prerequisites ----------------------------------------------------------

die() { echo "bench: $*" >&2; exit 1; }
command -v go >/dev/null || die "go is not on PATH"
HAVE_HYPERFINE=0 HAVE_TIME=0
command -v hyperfine >/dev/null && HAVE_HYPERFINE=1
/usr/bin/time -f %M true >/dev/null 2>&1 && HAVE_TIME=1
missing=()
((HAVE_HYPERFINE)) || missing+=("hyperfine (timing falls back to a date +%s%N loop)")
((HAVE_TIME)) || missing+=("time, i.e. GNU /usr/bin/time (no peak-RSS figures without it)")
if ((${#missing[@]})); then
	echo "bench: optional tools missing; install with: apt-get install -y hyperfine time" >&2
	printf 'bench:   %s\n' "${missing[@]}" >&2
fi

# Anything else running skews every figure; say so rather than mislead.
LOAD=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
if awk -v l="$LOAD" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
	echo "bench: warning: load average is $LOAD on $(nproc) CPUs; figures will be slower than on a quiet machine" >&2
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RESULTS=$ROOT/bench/results
TMP=$(mktemp -d "${TMPDIR:-/tmp}/byline-bench.XXXXXX")
SERVER_PID=""
cleanup() {
	stop_server
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# byline's fetcher honours the proxy variables and never proxies loopback, so
# a dead proxy makes any non-loopback fetch fail fast instead of reaching the
# internet (the starter list has real feeds; the bench must never hit them).
export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=
export http_proxy=$HTTP_PROXY https_proxy=$HTTPS_PROXY no_proxy=
unset BYLINE_HOME

echo "bench: building feedserver"
(cd "$ROOT" && go build -o "$TMP/feedserver" ./bench/cmd/feedserver) || die "building feedserver failed"
# The DB-size ratio divides by the text the cache holds, uncompressed
# (byline stores long text compressed, so SQL alone cannot sum it).
(cd "$ROOT" && go build -o "$TMP/cachetext" ./bench/cmd/cachetext) || die "building cachetext failed"
if [[ -z ${BYLINE:-} ]]; then
	echo "bench: building byline"
	(cd "$ROOT" && go build -o "$TMP/byline" .) || die "building byline failed (go build . from $ROOT)"
	BYLINE=$TMP/byline
fi
[[ -x $BYLINE ]] || die "$BYLINE is not an executable"

# --- Feed server ------------------------------------------------------------

# start_server NAME FEEDS LATENCY: serves NAME's feeds and writes $TMP/NAME.urls;
# sets CONTROL to the server's control URL.
start_server() {
	local name=$1 feeds=$2 latency=$3
	stop_server
	rm -f "$TMP/$name.control"
	"$TMP/feedserver" -feeds "$feeds" -items "$ITEMS" -latency "$latency" -seed 1 \
		-urls "$TMP/$name.urls" -control-file "$TMP/$name.control" >"$TMP/$name.server.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 100); do
		[[ -s $TMP/$name.control ]] && break
		kill -0 "$SERVER_PID" 2>/dev/null || die "feedserver exited: $(cat "$TMP/$name.server.log")"
		sleep 0.1
	done
	[[ -s $TMP/$name.control ]] || die "feedserver did not start in 10 s"
	CONTROL=$(<"$TMP/$name.control")
	# Belt and braces: every subscription must be on loopback.
	if grep -v '^#' "$TMP/$name.urls" | grep -qv '^http://127\.'; then
		die "$TMP/$name.urls lists a non-loopback URL"
	fi
	local_curl -o "$TMP/first-feed" "$(grep -m1 '^http' "$TMP/$name.urls" | cut -d' ' -f1)" &&
		grep -qi "$SEARCH_WORD" "$TMP/first-feed" ||
		echo "bench: warning: the first feed does not mention '$SEARCH_WORD'; search may have no hits" >&2
}

stop_server() {
	if [[ -n $SERVER_PID ]]; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=""
	fi
}

# local_curl: curl for the loopback feedserver, past the dead proxy above.
local_curl() { curl -sSf --noproxy '*' "$@"; }

# server_stat NAME: one counter (requests, ok, not_modified, bytes).
server_stat() {
	local stats
	stats=$(local_curl "$CONTROL/stats") || die "cannot read $CONTROL/stats"
	awk -v k="$1" '$1 == k { print $2 }' <<<"$stats"
}

# --- Measuring --------------------------------------------------------------

# fresh_home DIR URLS: an empty byline home subscribed to URLS. The urls file
# must exist before byline's first run, or byline writes its starter list.
cat >"$TMP/fresh-home.sh" <<'EOF'
rm -rf "$1" && mkdir -p "$1" && cp "$2" "$1/urls"
EOF
fresh_home() { bash "$TMP/fresh-home.sh" "$1" "$2"; }

quote() { printf '%q ' "$@"; }

# measure RUNS WARMUP PREPARE CMD...: times CMD; sets MEDIAN and MIN in
# seconds. PREPARE (a command line, may be empty) runs untimed before each run.
measure() {
	local runs=$1 warmup=$2 prepare=$3
	shift 3
	if ((HAVE_HYPERFINE)); then
		local args=(-N --style none --runs "$runs" --warmup "$warmup" --export-csv "$TMP/hf.csv")
		[[ -n $prepare ]] && args+=(--prepare "$prepare")
		hyperfine "${args[@]}" "$(quote "$@")" >/dev/null
		# CSV columns: command,mean,stddev,median,user,system,min,max
		MEDIAN=$(awk -F, 'NR == 2 { print $4 }' "$TMP/hf.csv")
		MIN=$(awk -F, 'NR == 2 { print $7 }' "$TMP/hf.csv")
		return
	fi
	local i t0 t1
	for ((i = 0; i < warmup; i++)); do
		[[ -n $prepare ]] && eval "$prepare"
		"$@" >/dev/null 2>&1
	done
	: >"$TMP/times"
	for ((i = 0; i < runs; i++)); do
		[[ -n $prepare ]] && eval "$prepare"
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		echo "$(((t1 - t0) / 1000))" >>"$TMP/times"
	done
	MEDIAN=$(sort -n "$TMP/times" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.6f", m / 1e6 }')
	MIN=$(sort -n "$TMP/times" | awk 'NR == 1 { printf "%.6f", $1 / 1e6 }')
}

# peak_rss CMD...: the largest peak RSS of RSS_RUNS runs, in MiB, or "n/a".
peak_rss() {
	((HAVE_TIME)) || { echo n/a; return; }
	local i kib max=0
	for ((i = 0; i < RSS_RUNS; i++)); do
		/usr/bin/time -f %M -o "$TMP/rss" "$@" >/dev/null 2>&1
		kib=$(tail -n1 "$TMP/rss")
		((kib > max)) && max=$kib
	done
	awk -v k="$max" 'BEGIN { printf "%.1f", k / 1024 }'
}

# refresh_once HOME [WRAPPER...]: one untimed refresh, run under WRAPPER if
# given; prints byline's summary line and fails if any feed failed.
refresh_once() {
	local out
	out=$("${@:2}" "$BYLINE" --home "$1" refresh 2>"$TMP/refresh.err") || die "byline refresh failed: $(cat "$TMP/refresh.err")"
	echo "$out"
	[[ $out =~ " 0 failed" ]] || die "some feeds failed: $out; $(head -5 "$TMP/refresh.err")"
}

article_count() { "$BYLINE" --home "$1" list --count | tr -dc 0-9; }

# --- Report -----------------------------------------------------------------

ROWS=() NOTES=()
# table_line FIGURE TARGET MEDIAN MIN RESULT. ASCII only: printf pads bytes.
table_line() { printf '%-44s %-12s %12s %12s  %s\n' "$@"; }
# row FIGURE TARGET MEDIAN MIN UNIT [LIMIT]: adds a figure; PASS/FAIL when a
# limit is given (median <= limit) and the run is full-size.
row() {
	local verdict="-" min=$4
	[[ -n $min ]] && min+=$5
	if [[ -n ${6:-} && $3 != n/a ]] && ((!QUICK)); then
		verdict=$(awk -v v="$3" -v l="$6" 'BEGIN { print (v <= l) ? "PASS" : "FAIL" }')
	fi
	ROWS+=("$(table_line "$1" "$2" "$3$5" "$min" "$verdict")")
}
# check FIGURE TARGET VALUE PASSED: adds a yes/no figure.
check() { ROWS+=("$(table_line "$1" "$2" "$3" "" "$( (($4)) && echo PASS || echo FAIL)")"); }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
sec() { awk -v s="$1" 'BEGIN { printf "%.3f", s }'; }

# --- Cold and warm refresh --------------------------------------------------

cold_figure() {
	local feeds=$1 target=$2 home=$TMP/cold-home
	start_server "cold$feeds" "$feeds" "$LATENCY"
	local urls=$TMP/cold$feeds.urls
	echo "bench: cold refresh, $feeds feeds × $ITEMS items @ $LATENCY"
	fresh_home "$home" "$urls"
	local summary
	summary=$(refresh_once "$home")
	local count
	count=$(article_count "$home")
	((count == feeds * ITEMS)) || die "cold refresh stored $count articles, want $((feeds * ITEMS)): $summary"
	local ok0 bytes0
	ok0=$(server_stat ok) bytes0=$(server_stat bytes)
	measure "$RUNS" 0 "$(quote bash "$TMP/fresh-home.sh" "$home" "$urls")" "$BYLINE" --home "$home" refresh
	local ok=$(($(server_stat ok) - ok0)) bytes=$(($(server_stat bytes) - bytes0))
	((ok == feeds * RUNS)) || die "the timed cold runs fetched $ok full feeds, want $((feeds * RUNS)): was the home not fresh?"
	row "cold refresh ${feeds}x$ITEMS @$LATENCY (wall)" "<= ${target} s" "$(sec "$MEDIAN")" "$(sec "$MIN")" " s" "$target"
	NOTES+=("cold ${feeds}: $summary; $((ok / RUNS)) × 200 and $((bytes / RUNS / 1024)) KiB served per run")
}

warm_figure() {
	local feeds=$COLD_FEEDS home=$TMP/warm-home
	start_server "warm" "$feeds" "$LATENCY"
	echo "bench: warm refresh, $feeds feeds (server answers 304)"
	fresh_home "$home" "$TMP/warm.urls"
	refresh_once "$home" >/dev/null
	local before req0 ok0 nm0
	before=$(article_count "$home")
	req0=$(server_stat requests) ok0=$(server_stat ok) nm0=$(server_stat not_modified)
	measure "$RUNS" 1 "" "$BYLINE" --home "$home" refresh
	local summary
	summary=$(refresh_once "$home")
	local after req ok nm
	after=$(article_count "$home")
	req=$(($(server_stat requests) - req0)) ok=$(($(server_stat ok) - ok0)) nm=$(($(server_stat not_modified) - nm0))
	row "warm refresh ${feeds} (all 304) (wall)" "<= ${T_WARM} s" "$(sec "$MEDIAN")" "$(sec "$MIN")" " s" "$T_WARM"
	# One request per feed per run: the warm-up, the timed runs and the
	# summary run above.
	check "warm: 200s / 304s served" "0 x 200" "$ok / $nm" "ok == 0 && nm == feeds * (RUNS + 2)"
	check "warm: articles before / after" "unchanged" "$before / $after" "before == after"
	NOTES+=("warm: $summary; $req requests")
}

# --- 100k-article cache: build, size, queries ------------------------------

CACHE_HOME=$TMP/cache-home
build_cache() {
	local feeds=$CACHE_FEEDS
	start_server "cache" "$feeds" 0
	echo "bench: building a $((feeds * ITEMS))-article cache ($feeds feeds, no latency)"
	fresh_home "$CACHE_HOME" "$TMP/cache.urls"
	local bytes0 t0 t1 summary
	bytes0=$(server_stat bytes)
	t0=$(date +%s%N)
	local wrapper=()
	((HAVE_TIME)) && wrapper=(/usr/bin/time -f %M -o "$TMP/build.rss")
	summary=$(refresh_once "$CACHE_HOME" "${wrapper[@]}")
	t1=$(date +%s%N)
	CACHE_BYTES_SERVED=$(($(server_stat bytes) - bytes0))
	stop_server
	local count
	count=$(article_count "$CACHE_HOME")
	((count == feeds * ITEMS)) || die "cache has $count articles, want $((feeds * ITEMS)): $summary"
	local rss=n/a
	((HAVE_TIME)) && rss=$(awk 'END { printf "%.0f", $1 / 1024 }' "$TMP/build.rss")
	NOTES+=("cache build: $summary in $(sec "$(((t1 - t0) / 1000))e-6") s, peak RSS $rss MiB; $(mib "$CACHE_BYTES_SERVED") MiB served")
}

db_size_figure() {
	local db=$CACHE_HOME/byline.db size wal=0
	# Sizes first: opening the file may checkpoint the WAL.
	size=$(stat -c %s "$db")
	[[ -f $db-wal ]] && wal=$(stat -c %s "$db-wal")
	local text ratio
	text=$("$TMP/cachetext" "$db") || die "cachetext $db failed"
	ratio=$(awk -v d="$((size + wal))" -v t="$text" 'BEGIN { printf "%.2f", d / t }')
	row "DB size / text stored" "<= ${T_DB_RATIO}x" "$ratio" "" "x" "$T_DB_RATIO"
	NOTES+=("db: $(mib "$size") MiB + WAL $(mib "$wal") MiB for $(mib "$text") MiB of text")
}

query_figure() {
	local name=$1 target=$2 rss
	shift 2
	measure "$QUERY_RUNS" 3 "" "$BYLINE" --home "$CACHE_HOME" "$@"
	row "$name (wall)" "<= ${target} ms" "$(ms "$MEDIAN")" "$(ms "$MIN")" " ms" "$target"
	rss=$(peak_rss "$BYLINE" --home "$CACHE_HOME" "$@")
	row "$name (peak RSS)" "<= ${T_RSS} MiB" "$rss" "" " MiB" "$T_RSS"
}

# --- A very large page -----------------------------------------------------

# page_figure: `byline read FILE --format ansi` (what the reader shows) of a
# 5 MB article page: paragraphs with links, inside the usual navigation.
page_figure() {
	local page=$TMP/page-5mb.html
	{
		echo '<!doctype html><html><head><meta charset="utf-8"><title>A very long read</title></head><body>'
		echo '<nav><a href="/">Home</a> <a href="/world/">World</a></nav><main><article><h1>A very long read</h1>'
		local para i
		para='<p>The river keeps its own calendar, and the town along it has learned to read the water as others read the sky. '
		para+='Ferries wait on the <a href="https://news.example/tides">tide tables</a>, bakers on the barges, and the council on the '
		para+='<a href="https://news.example/reports/flood">flood report</a> that arrives each spring a little later than promised.</p>'
		for ((i = 0; i < 14000; i++)); do echo "$para"; done
		echo '</article></main><footer>About</footer></body></html>'
	} >"$page"
	mkdir -p "$TMP/page-home"
	echo 'byline:welcome' >"$TMP/page-home/urls" # never the starter list of real feeds
	local size
	size=$(stat -c %s "$page")
	echo "bench: reading a $((size / 1024)) KiB page"
	measure 3 1 "" "$BYLINE" --home "$TMP/page-home" read "$page" --base-url https://news.example/long --format ansi --width 100
	row "read 5 MB page, ansi (wall)" "-" "$(sec "$MEDIAN")" "$(sec "$MIN")" " s"
	row "read 5 MB page, ansi (peak RSS)" "<= ${T_PAGE_RSS} MiB" "$(peak_rss "$BYLINE" --home "$TMP/page-home" read "$page" --base-url https://news.example/long --format ansi --width 100)" "" " MiB" "$T_PAGE_RSS"
}

# --- Run --------------------------------------------------------------------

if wants cold; then
	cold_figure "$COLD_FEEDS" "$T_COLD"
	cold_figure "$COLD_BIG_FEEDS" "$T_COLD_BIG"
fi
wants warm && warm_figure
if wants big || wants query; then
	build_cache
	wants big && db_size_figure
	if wants query; then
		echo "bench: queries on $((CACHE_FEEDS * ITEMS)) articles"
		query_figure "list --unread --limit 50" "$T_LIST" list --unread --limit 50
		query_figure "list --count --unread" "$T_COUNT" list --count --unread
		query_figure "search $SEARCH_WORD" "$T_SEARCH" search "$SEARCH_WORD"
		query_figure "feeds" "$T_FEEDS" feeds
		read_id=$("$BYLINE" --home "$CACHE_HOME" list --limit 1 --json | grep -m1 -o '"id": *[0-9]*' | tr -dc 0-9)
		query_figure "read ID (cached)" "$T_READ" read "$read_id" --format ansi --width 100
	fi
fi
wants page && page_figure
stop_server

mkdir -p "$RESULTS"
{
	echo "byline bench — $(date -u +%Y-%m-%dT%H:%M:%SZ)$( ((QUICK)) && echo ' — QUICK (smaller sizes; no verdicts)')"
	echo "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo ' (dirty)'); $(go version | cut -d' ' -f3-); $(nproc) CPUs: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)"
	echo "timing: $( ((HAVE_HYPERFINE)) && hyperfine --version || echo 'bash loop (date +%s%N)'); load average at start $LOAD, at end $(cut -d' ' -f1 /proc/loadavg 2>/dev/null)"
	echo
	table_line "figure" "target" "median" "min" "result"
	printf '%s\n' "${ROWS[@]}"
	echo
	printf '%s\n' "${NOTES[@]}"
} | tee "$RESULTS/latest.txt"
echo
echo "bench: results in $RESULTS/latest.txt"
