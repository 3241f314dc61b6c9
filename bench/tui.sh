#!/usr/bin/env bash
# Times the TUI as a user sees it, through tmux: start → first frame, and
# enter on an article → its reader frame, then reports peak RSS after
# browsing. Polling capture-pane costs a few ms per look, so the figures
# are upper bounds.
#   bash bench/tui.sh HOME_WITH_A_CACHE [BYLINE_BINARY]
set -euo pipefail
home=${1:?usage: bench/tui.sh HOME [BYLINE]}
bin=${2:-$(command -v byline)}
command -v tmux >/dev/null || { echo "needs tmux (apt-get install -y tmux)" >&2; exit 1; }
sock=byline-bench-$$
t() { tmux -L "$sock" "$@"; }
now() { date +%s%N; }
# wait_for TEXT: poll the screen until TEXT shows, for at most 10 s.
wait_for() {
	local end=$(( $(now) + 10000000000 ))
	until t capture-pane -p -t b | grep -qF -- "$1"; do
		(( $(now) < end )) || { echo "timed out waiting for: $1" >&2; t kill-server; exit 1; }
	done
}
trap 't kill-server 2>/dev/null || true' EXIT

# The tmux server starts first so that its own start-up is not counted.
t new -d -s b -x 120 -y 40 "sleep 60"
start=$(now)
t respawn-pane -k -t b "$bin --home '$home'"
wait_for "Feeds ·"
first=$(( ($(now) - start) / 1000000 ))
pid=$(t list-panes -t b -F '#{pane_pid}')

t send-keys -t b Enter          # the All list
wait_for "All articles"
t send-keys -t b j              # the second article
sleep 0.3
start=$(now)
t send-keys -t b Enter
wait_for "From "                 # the reader's header line
open=$(( ($(now) - start) / 1000000 ))
for k in j j k G g n n; do t send-keys -t b "$k"; sleep 0.1; done
sleep 0.5
rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
echo "first frame:            ${first} ms (target ≤ 100 ms)"
echo "open article → frame:   ${open} ms (target ≤ 50 ms)"
echo "peak RSS after browsing: $(( rss / 1024 )) MiB (target ≤ 80 MB)"
