#!/usr/bin/env bash
# Measures byline against its speed and size targets on synthetic feeds
# served from loopback (bench/cmd/feedserver), newsboat side by side where
# a target names it, and prints a table of figures against targets. See
# bench/README.md for what each figure means.
#
#   bash bench/run.sh                 # everything (about half an hour; newsboat is most of it)
#   bash bench/run.sh --quick         # small sizes: a smoke run of the plumbing, no verdicts
#   bash bench/run.sh --only refresh  # one group: refresh | big | cache | tui | page
#   bash bench/run.sh --no-newsboat   # byline only
#   BYLINE=/path/to/byline bash bench/run.sh   # measure that binary, don't build
set -euo pipefail

# --- Knobs ------------------------------------------------------------------

# One of feedserver.TopicWords, so the search has hits in every feed.
SEARCH_WORD=lighthouse
LATENCY=50ms
ITEMS=50
COLD_FEEDS=200      # cold, after, warm and morning figures (4 feeds per loopback host)
BIG_FEEDS=1000
MORNING_FEEDS=40 MORNING_ITEMS=5
CACHE_FEEDS=1000 CACHE_ITEMS=100 CACHE_WORDS=250 # the 100,000-article cache
RUNS=5              # timed byline refreshes per figure
BIG_RUNS=3
NB_RUNS=3           # timed newsboat runs per figure: each takes seconds
QUERY_RUNS=30       # timed runs per query figure
RSS_RUNS=3          # runs per peak-RSS figure (the maximum is reported)
TUI_RUNS=5          # TUI first frames per program (the median is reported)

# Targets (seconds, milliseconds, MB, ratio).
T_COLD=1.2 T_COLD_X=5 T_AFTER=0.35 T_WARM=0.25 T_MORNING=0.5 T_BIG=5
T_LIST=40 T_COUNT=40 T_FEEDS=40 T_SEARCH=60 T_READ=50 T_RSS=60
T_TUI=80 T_TUI_RSS=80 T_STORE_MB=180 T_STORE_RATIO=1.3 T_PAGE_RSS=100

# --- Arguments --------------------------------------------------------------

QUICK=0 ONLY="" NEWSBOAT=1
usage() { sed -n '2,11s/^# \{0,1\}//p' "$0"; }
while (($#)); do
	case $1 in
	--quick) QUICK=1 ;;
	--no-newsboat) NEWSBOAT=0 ;;
	--only)
		ONLY=${2:-}
		shift
		[[ $ONLY =~ ^(refresh|big|cache|tui|page)$ ]] || { usage >&2; exit 2; }
		;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
if ((QUICK)); then
	ITEMS=10 COLD_FEEDS=40 BIG_FEEDS=100 MORNING_FEEDS=8
	CACHE_FEEDS=50 CACHE_ITEMS=20
	RUNS=3 BIG_RUNS=1 NB_RUNS=1 QUERY_RUNS=5 RSS_RUNS=1 TUI_RUNS=1
fi
wants() { [[ -z $ONLY || $ONLY == "$1" ]]; }

# --- Prerequisites ----------------------------------------------------------

die() { echo "bench: $*" >&2; exit 1; }
command -v go >/dev/null || die "go is not on PATH"
command -v curl >/dev/null || die "curl is not on PATH"
HAVE_HYPERFINE=0 HAVE_TIME=0 HAVE_TMUX=0
command -v hyperfine >/dev/null && HAVE_HYPERFINE=1
/usr/bin/time -f %M true >/dev/null 2>&1 && HAVE_TIME=1
command -v tmux >/dev/null && HAVE_TMUX=1
if ((NEWSBOAT)) && ! command -v newsboat >/dev/null; then
	echo "bench: newsboat is not installed (apt-get install -y newsboat); measuring byline only" >&2
	NEWSBOAT=0
fi
missing=()
((HAVE_HYPERFINE)) || missing+=("hyperfine (timing falls back to a date +%s%N loop)")
((HAVE_TIME)) || missing+=("time, i.e. GNU /usr/bin/time (no peak-RSS figures without it)")
((HAVE_TMUX)) || missing+=("tmux (no TUI figures without it)")
if ((${#missing[@]})); then
	echo "bench: optional tools missing; install with: apt-get install -y hyperfine time tmux newsboat" >&2
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
TMUX_SOCK=byline-bench-$$
cleanup() {
	stop_server
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# byline's fetcher honours the proxy variables and never proxies loopback, so
# a dead proxy makes any non-loopback fetch fail fast instead of reaching the
# internet (the starter list has real feeds; the bench must never hit them).
# newsboat (libcurl) would send even loopback requests to it, so it runs
# without them: its urls files list loopback feeds only.
export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=
export http_proxy=$HTTP_PROXY https_proxy=$HTTPS_PROXY no_proxy=
unset BYLINE_HOME

echo "bench: building feedserver"
(cd "$ROOT" && go build -o "$TMP/feedserver" ./bench/cmd/feedserver) || die "building feedserver failed"
# The store-size ratio divides by the text the cache holds, uncompressed
# (byline stores long text compressed, so SQL alone cannot sum it).
(cd "$ROOT" && go build -o "$TMP/cachetext" ./bench/cmd/cachetext) || die "building cachetext failed"
if [[ -z ${BYLINE:-} ]]; then
	echo "bench: building byline"
	(cd "$ROOT" && go build -o "$TMP/byline" .) || die "building byline failed (go build . from $ROOT)"
	BYLINE=$TMP/byline
fi
[[ -x $BYLINE ]] || die "$BYLINE is not an executable"

# --- Feed server ------------------------------------------------------------

# start_server NAME FEEDS LATENCY [ITEMS [WORDS]]: serves NAME's feeds and
# writes $TMP/NAME.urls; sets CONTROL to the server's control URL.
start_server() {
	local name=$1 feeds=$2 latency=$3 items=${4:-$ITEMS} words=${5:-500}
	stop_server
	rm -f "$TMP/$name.control"
	"$TMP/feedserver" -feeds "$feeds" -items "$items" -words "$words" -latency "$latency" -seed 1 \
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

# --- Homes ------------------------------------------------------------------

# fresh_home DIR URLS: an empty byline home subscribed to URLS. The urls file
# must exist before byline's first run, or byline writes its starter list;
# the reader must not refresh when the TUI figures start it.
cat >"$TMP/fresh-home.sh" <<'EOF'
rm -rf "$1" && mkdir -p "$1" && cp "$2" "$1/urls" && echo 'refresh-on-start = false' >"$1/config.toml"
EOF
fresh_home() { bash "$TMP/fresh-home.sh" "$1" "$2"; }

# cold-home.sh DIR URLS BYLINE: a fresh home that BYLINE has refreshed
# once, where the refresh after a cold one starts. A script, as every
# prepare command is: hyperfine -N runs a prepare command without a shell,
# so an "a && b" there ran a alone, with "&&" and b as its arguments (the
# refresh after a cold one was timed on an empty home).
cat >"$TMP/cold-home.sh" <<'EOF'
bash "$(dirname "$0")/fresh-home.sh" "$1" "$2" && "$3" --home "$1" refresh >/dev/null
EOF

# restore DIR SNAPSHOT: DIR becomes a copy of SNAPSHOT.
cat >"$TMP/restore.sh" <<'EOF'
rm -rf "$1" && cp -a "$2" "$1"
EOF

# nb_home DIR URLS: an empty newsboat directory for URLS, reloading with 8
# threads as newsboat's documentation suggests for many feeds.
nb_home() {
	rm -rf "$1" && mkdir -p "$1" && cp "$2" "$1/urls"
	printf 'reload-threads 8\n' >"$1/config"
}
cat >"$TMP/nb-fresh.sh" <<'EOF'
rm -f "$1/cache.db" "$1/cache.db.lock"
EOF
# nb DIR ARGS...: newsboat on DIR's urls, cache and config.
nb() {
	local dir=$1
	shift
	env -u HTTP_PROXY -u HTTPS_PROXY -u http_proxy -u https_proxy \
		newsboat -u "$dir/urls" -c "$dir/cache.db" -C "$dir/config" "$@"
}

quote() { printf '%q ' "$@"; }

# --- Measuring --------------------------------------------------------------

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
	measure_loop "$runs" "$warmup" "$prepare" "$@"
}

# measure_loop: measure with a date loop (newsboat runs, or no hyperfine).
measure_loop() {
	local runs=$1 warmup=$2 prepare=$3 i t0 t1
	shift 3
	for ((i = 0; i < warmup; i++)); do
		[[ -n $prepare ]] && eval "$prepare"
		"$@" >/dev/null 2>&1
	done
	: >"$TMP/times"
	for ((i = 0; i < runs; i++)); do
		[[ -n $prepare ]] && eval "$prepare"
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1 || die "$* failed"
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
# table_line FIGURE TARGET BYLINE MIN NEWSBOAT RESULT. ASCII only: printf pads bytes.
table_line() { printf '%-46s %-22s %11s %11s %11s  %s\n' "$@"; }
# row FIGURE TARGET MEDIAN MIN UNIT LIMIT [NEWSBOAT]: adds a figure; PASS/FAIL
# when a limit is given (median <= limit) and the run is full-size.
row() {
	local verdict="-" min=$4 nbv=${7:-}
	[[ -n $min ]] && min+=$5
	[[ -n $nbv ]] && nbv+=$5
	if [[ -n ${6:-} && $3 != n/a ]] && ((!QUICK)); then
		verdict=$(awk -v v="$3" -v l="$6" 'BEGIN { print (v <= l) ? "PASS" : "FAIL" }')
	fi
	ROWS+=("$(table_line "$1" "$2" "$3$5" "$min" "$nbv" "$verdict")")
}
# check FIGURE TARGET VALUE PASSED: adds a yes/no figure.
check() { ROWS+=("$(table_line "$1" "$2" "$3" "" "" "$( (($4)) && echo PASS || echo FAIL)")"); }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
sec() { awk -v s="$1" 'BEGIN { printf "%.3f", s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

# --- Refreshes: cold, the one after, warm, morning --------------------------

refresh_figures() {
	local feeds=$COLD_FEEDS home=$TMP/home urls nbmed=""
	start_server refresh "$feeds" "$LATENCY"
	urls=$TMP/refresh.urls

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
	local cold=$MEDIAN coldmin=$MIN
	NOTES+=("cold: $summary; $((ok / RUNS)) x 200 and $((bytes / RUNS / 1024)) KiB served per run")

	local nbcold="" nbwarm=""
	if ((NEWSBOAT)); then
		echo "bench: newsboat, the same cold and warm refreshes"
		nb_home "$TMP/nb" "$urls"
		measure_loop "$NB_RUNS" 0 "$(quote bash "$TMP/nb-fresh.sh" "$TMP/nb")" nb "$TMP/nb" -x reload
		nbcold=$MEDIAN
		measure_loop "$NB_RUNS" 0 "" nb "$TMP/nb" -x reload
		nbwarm=$MEDIAN
	fi
	row "cold refresh ${feeds}x$ITEMS @$LATENCY" "<= ${T_COLD} s" "$(sec "$cold")" "$(sec "$coldmin")" " s" "$T_COLD" "$([[ -n $nbcold ]] && sec "$nbcold")"
	if [[ -n $nbcold ]]; then
		local x
		x=$(ratio "$nbcold" "$cold")
		ROWS+=("$(table_line "cold refresh: newsboat / byline" ">= ${T_COLD_X}x" "${x}x" "" "" "$( ((QUICK)) && echo - || awk -v x="$x" -v t="$T_COLD_X" 'BEGIN { print (x >= t) ? "PASS" : "FAIL" }')")")
	fi

	# The refresh right after a cold one: every feed answers 304, and
	# whatever the cold refresh left for later is due.
	echo "bench: the refresh after a cold one"
	local nm0
	ok0=$(server_stat ok) nm0=$(server_stat not_modified)
	measure "$RUNS" 0 "$(quote bash "$TMP/cold-home.sh" "$home" "$urls" "$BYLINE")" "$BYLINE" --home "$home" refresh
	row "the refresh after it (all 304)" "<= ${T_AFTER} s" "$(sec "$MEDIAN")" "$(sec "$MIN")" " s" "$T_AFTER"
	# Each run: the prepared cold refresh's 200s, then the timed one's 304s.
	ok=$(($(server_stat ok) - ok0)) nm=$(($(server_stat not_modified) - nm0))
	check "after: 200s / 304s served" "$((feeds * RUNS)) / $((feeds * RUNS))" "$ok / $nm" "ok == feeds * RUNS && nm == feeds * RUNS"

	# The first search indexes what the refreshes left pending.
	local t0 t1
	t0=$(date +%s%N)
	"$BYLINE" --home "$home" search "$SEARCH_WORD" >/dev/null
	t1=$(date +%s%N)
	row "first search after them (indexes the rest)" "-" "$(sec "$(((t1 - t0) / 1000))e-6")" "" " s" ""

	echo "bench: warm refresh, $feeds feeds (server answers 304)"
	local before req0 nm0
	before=$(article_count "$home")
	req0=$(server_stat requests) ok0=$(server_stat ok) nm0=$(server_stat not_modified)
	measure "$RUNS" 1 "" "$BYLINE" --home "$home" refresh
	summary=$(refresh_once "$home")
	local after req nm
	after=$(article_count "$home")
	req=$(($(server_stat requests) - req0)) ok=$(($(server_stat ok) - ok0)) nm=$(($(server_stat not_modified) - nm0))
	row "warm refresh ${feeds} (all 304)" "<= ${T_WARM} s" "$(sec "$MEDIAN")" "$(sec "$MIN")" " s" "$T_WARM" "$([[ -n $nbwarm ]] && sec "$nbwarm")"
	# One request per feed per run: the warm-up, the timed runs and the
	# summary run above.
	check "warm: 200s / 304s served" "0 x 200" "$ok / $nm" "ok == 0 && nm == feeds * (RUNS + 2)"
	check "warm: articles before / after" "unchanged" "$before / $after" "before == after"
	NOTES+=("warm: $summary; $req requests")

	# Morning: MORNING_FEEDS of the feeds gained MORNING_ITEMS items each
	# overnight; every run starts from the evening's cache.
	echo "bench: morning refresh, $MORNING_FEEDS feeds with $MORNING_ITEMS new items"
	cp -a "$home" "$TMP/evening"
	local_curl -X POST "$CONTROL/bump?feeds=$MORNING_FEEDS&items=$MORNING_ITEMS" >/dev/null
	ok0=$(server_stat ok)
	measure "$RUNS" 0 "$(quote bash "$TMP/restore.sh" "$home" "$TMP/evening")" "$BYLINE" --home "$home" refresh
	ok=$(($(server_stat ok) - ok0))
	((ok == MORNING_FEEDS * RUNS)) || die "the morning runs fetched $ok full feeds, want $((MORNING_FEEDS * RUNS))"
	bash "$TMP/restore.sh" "$home" "$TMP/evening"
	summary=$(refresh_once "$home")
	row "morning: $MORNING_FEEDS of $feeds feeds +$MORNING_ITEMS items" "<= ${T_MORNING} s" "$(sec "$MEDIAN")" "$(sec "$MIN")" " s" "$T_MORNING"
	NOTES+=("morning: $summary")
}

big_figure() {
	local feeds=$BIG_FEEDS home=$TMP/big-home
	start_server big "$feeds" "$LATENCY"
	echo "bench: cold refresh, $feeds feeds × $ITEMS items @ $LATENCY"
	fresh_home "$home" "$TMP/big.urls"
	local summary
	summary=$(refresh_once "$home")
	measure "$BIG_RUNS" 0 "$(quote bash "$TMP/fresh-home.sh" "$home" "$TMP/big.urls")" "$BYLINE" --home "$home" refresh
	row "cold refresh ${feeds}x$ITEMS @$LATENCY" "<= ${T_BIG} s" "$(sec "$MEDIAN")" "$(sec "$MIN")" " s" "$T_BIG"
	NOTES+=("cold $feeds: $summary")
}

# --- The 100,000-article cache: build, size, queries ------------------------

CACHE_HOME=$TMP/cache-home NB_CACHE=$TMP/nb-cache
build_cache() {
	local feeds=$CACHE_FEEDS
	start_server cache "$feeds" 0 "$CACHE_ITEMS" "$CACHE_WORDS"
	echo "bench: building a $((feeds * CACHE_ITEMS))-article cache ($feeds feeds × $CACHE_ITEMS items of $CACHE_WORDS words, no latency)"
	fresh_home "$CACHE_HOME" "$TMP/cache.urls"
	local bytes0 t0 t1 summary
	bytes0=$(server_stat bytes)
	t0=$(date +%s%N)
	local wrapper=()
	((HAVE_TIME)) && wrapper=(/usr/bin/time -f %M -o "$TMP/build.rss")
	summary=$(refresh_once "$CACHE_HOME" "${wrapper[@]}")
	t1=$(date +%s%N)
	local served=$(($(server_stat bytes) - bytes0))
	local count
	count=$(article_count "$CACHE_HOME")
	((count == feeds * CACHE_ITEMS)) || die "cache has $count articles, want $((feeds * CACHE_ITEMS)): $summary"
	local rss=n/a
	((HAVE_TIME)) && rss=$(awk 'END { printf "%.0f", $1 / 1024 }' "$TMP/build.rss")
	NOTES+=("cache build: $summary in $(sec "$(((t1 - t0) / 1000))e-6") s, peak RSS $rss MiB; $(mib "$served") MiB served")
	# The first search indexes the whole cache, which the build left pending.
	t0=$(date +%s%N)
	"$BYLINE" --home "$CACHE_HOME" search "$SEARCH_WORD" >/dev/null
	t1=$(date +%s%N)
	NOTES+=("cache: the first search indexed $count articles in $(sec "$(((t1 - t0) / 1000))e-6") s")
	if ((NEWSBOAT)); then
		echo "bench: newsboat builds the same cache"
		nb_home "$NB_CACHE" "$TMP/cache.urls"
		t0=$(date +%s%N)
		nb "$NB_CACHE" -x reload >/dev/null 2>&1 || die "newsboat reload failed"
		t1=$(date +%s%N)
		NOTES+=("newsboat cache build: $(sec "$(((t1 - t0) / 1000))e-6") s")
	fi
	stop_server
}

store_figure() {
	local db=$CACHE_HOME/byline.db size wal=0 text nbsize=""
	size=$(stat -c %s "$db")
	[[ -f $db-wal ]] && wal=$(stat -c %s "$db-wal")
	text=$("$TMP/cachetext" "$db") || die "cachetext $db failed"
	((NEWSBOAT)) && nbsize=$(mb "$(stat -c %s "$NB_CACHE/cache.db")")
	row "store size ($((CACHE_FEEDS * CACHE_ITEMS)) articles, indexed)" "<= ${T_STORE_MB} MB" "$(mb "$((size + wal))")" "" " MB" "$T_STORE_MB" "$nbsize"
	row "store size / text it stores" "<= ${T_STORE_RATIO}x" "$(awk -v d="$((size + wal))" -v t="$text" 'BEGIN { printf "%.2f", d / t }')" "" "x" "$T_STORE_RATIO"
	NOTES+=("store: $(mb "$size") MB + WAL $(mb "$wal") MB for $(mb "$text") MB of text")
}

query_figure() {
	local name=$1 target=$2 nbcmd=$3 rss nbmed=""
	shift 3
	measure "$QUERY_RUNS" 3 "" "$BYLINE" --home "$CACHE_HOME" "$@"
	local med=$MEDIAN mn=$MIN
	if ((NEWSBOAT)) && [[ -n $nbcmd ]]; then
		measure_loop 1 0 "" nb "$NB_CACHE" -x "$nbcmd"
		nbmed=$(ms "$MEDIAN")
	fi
	row "$name" "<= ${target} ms" "$(ms "$med")" "$(ms "$mn")" " ms" "$target" "$nbmed"
	rss=$(peak_rss "$BYLINE" --home "$CACHE_HOME" "$@")
	row "$name (peak RSS)" "<= ${T_RSS} MB" "$rss" "" " MiB" "$T_RSS"
}

# --- The reader in tmux ------------------------------------------------------

tm() { tmux -L "$TMUX_SOCK" "$@"; }
now() { date +%s%N; }
# wait_screen TEXT SECONDS: poll the screen until TEXT shows.
wait_screen() {
	local end=$(($(now) + $2 * 1000000000))
	until tm capture-pane -p -t b | grep -qF -- "$1"; do
		(($(now) < end)) || return 1
	done
}

# first_frame CMD...: milliseconds from start to the feed list on screen
# (120×40), the median of TUI_RUNS; each look at the screen is a
# capture-pane of a few milliseconds, so it is an upper bound.
first_frame() {
	local runs=$1 limit=$2
	shift 2
	local i start
	: >"$TMP/frames"
	for ((i = 0; i < runs; i++)); do
		tm new -d -s b -x 120 -y 40 "sleep 600"
		start=$(now)
		tm respawn-pane -k -t b "$(quote "$@")"
		if wait_screen "Bench feed 0" "$limit"; then
			echo $((($(now) - start) / 1000000)) >>"$TMP/frames"
		else
			echo "bench: no feed list within $limit s: $(tm capture-pane -p -t b | head -5)" >&2
		fi
		tm kill-server 2>/dev/null || true
	done
	[[ -s $TMP/frames ]] || { echo n/a; return; }
	sort -n "$TMP/frames" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

tui_figures() {
	((HAVE_TMUX)) || return 0
	echo "bench: the reader's first frame on $((CACHE_FEEDS * CACHE_ITEMS)) articles"
	local byl nbf=""
	byl=$(first_frame "$TUI_RUNS" 10 "$BYLINE" --home "$CACHE_HOME")
	if ((NEWSBOAT)); then
		nbf=$(first_frame 1 300 env -u HTTP_PROXY -u HTTPS_PROXY -u http_proxy -u https_proxy \
			newsboat -u "$NB_CACHE/urls" -c "$NB_CACHE/cache.db" -C "$NB_CACHE/config")
	fi
	row "TUI first frame (feed list drawn)" "<= ${T_TUI} ms" "$byl" "" " ms" "$T_TUI" "$nbf"

	# Peak RSS after some browsing: the All list, an article, paging.
	tm new -d -s b -x 120 -y 40 "$(quote "$BYLINE" --home "$CACHE_HOME")"
	local rss=n/a pid
	if wait_screen "Bench feed 0" 10; then
		pid=$(tm list-panes -t b -F '#{pane_pid}')
		for k in Enter j Enter j j k G g n n; do
			tm send-keys -t b "$k"
			sleep 0.15
		done
		sleep 0.5
		rss=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
	fi
	tm kill-server 2>/dev/null || true
	row "TUI peak RSS after browsing" "<= ${T_TUI_RSS} MB" "$rss" "" " MiB" "$T_TUI_RSS"
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
	row "read 5 MB page, ansi (wall)" "-" "$(sec "$MEDIAN")" "$(sec "$MIN")" " s" ""
	row "read 5 MB page, ansi (peak RSS)" "<= ${T_PAGE_RSS} MB" "$(peak_rss "$BYLINE" --home "$TMP/page-home" read "$page" --base-url https://news.example/long --format ansi --width 100)" "" " MiB" "$T_PAGE_RSS"
}

# --- Run --------------------------------------------------------------------

wants refresh && refresh_figures
wants big && big_figure
if wants cache || wants tui; then
	build_cache
	if wants cache; then
		store_figure
		echo "bench: queries on $((CACHE_FEEDS * CACHE_ITEMS)) articles"
		query_figure "list --count --unread" "$T_COUNT" print-unread list --count --unread
		query_figure "list --limit 50" "$T_LIST" "" list --limit 50
		query_figure "feeds ($CACHE_FEEDS feeds)" "$T_FEEDS" "" feeds
		query_figure "search $SEARCH_WORD" "$T_SEARCH" "" search "$SEARCH_WORD"
		read_id=$("$BYLINE" --home "$CACHE_HOME" list --limit 1 --json | grep -m1 -o '"id": *[0-9]*' | tr -dc 0-9)
		query_figure "read ID (cached)" "$T_READ" "" read "$read_id" --format ansi --width 100
	fi
	wants tui && tui_figures
fi
wants page && page_figure
stop_server

mkdir -p "$RESULTS"
{
	echo "byline bench — $(date -u +%Y-%m-%dT%H:%M:%SZ)$( ((QUICK)) && echo ' — QUICK (smaller sizes; no verdicts)')"
	echo "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo ' (dirty)'); $(go version | cut -d' ' -f3-); $(nproc) CPUs: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)"
	echo "timing: $( ((HAVE_HYPERFINE)) && hyperfine --version || echo 'bash loop (date +%s%N)'); $( ((NEWSBOAT)) && newsboat -v 2>/dev/null | head -1 || echo 'no newsboat'); load average at start $LOAD, at end $(cut -d' ' -f1 /proc/loadavg 2>/dev/null)"
	echo
	table_line "figure" "target" "byline" "min" "newsboat" "result"
	printf '%s\n' "${ROWS[@]}"
	echo
	printf '%s\n' "${NOTES[@]}"
} | tee "$RESULTS/latest.txt"
echo
echo "bench: results in $RESULTS/latest.txt"
