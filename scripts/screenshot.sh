#!/usr/bin/env bash
# Regenerates the screenshot at the top of README.md from the running program:
#
#   bash scripts/screenshot.sh [OUT.png|OUT.svg]     # default docs/byline.png
#
# byline runs in a private tmux server (120x32) on a throw-away --home whose
# urls file holds only byline:welcome, the feed built into the binary, with
# every proxy pointed at a closed port: no network is used. The script opens
# the welcome article, captures the pane with its colours (capture-pane -e)
# and renders the capture with freeze, pinned and run through the Go
# toolchain. Needs tmux (apt-get install -y tmux) and Go.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-docs/byline.png}
freeze=(go run github.com/charmbracelet/freeze@v0.2.2)

if ! command -v tmux >/dev/null; then
  echo "screenshot: tmux is needed (apt-get install -y tmux)" >&2
  exit 1
fi

work=$(mktemp -d)
sock="byline-screenshot-$$"
tmx() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
  tmx kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

CGO_ENABLED=0 go build -o "$work/byline" .
mkdir "$work/home"
printf 'byline:welcome\n' >"$work/home/urls"

# wait_for TEXT: until the pane shows TEXT (10s at most).
wait_for() {
  local _
  for _ in $(seq 100); do
    if tmx capture-pane -p -t shot | grep -qF -- "$1"; then
      return 0
    fi
    sleep 0.1
  done
  echo "screenshot: the screen never showed \"$1\"; it shows:" >&2
  tmx capture-pane -p -t shot >&2 || true
  exit 1
}

closed=http://127.0.0.1:1
tmx new-session -d -x 120 -y 32 -s shot \
  -e TERM=xterm-256color -e COLORTERM=truecolor -e NO_COLOR= \
  -e HTTP_PROXY=$closed -e HTTPS_PROXY=$closed -e http_proxy=$closed -e https_proxy=$closed \
  "$work/byline --home $work/home"

wait_for "Refreshed 1 feed"     # the feeds screen, after the start-up refresh
tmx send-keys -t shot Enter     # All
wait_for "All articles"
tmx send-keys -t shot G         # the last article: "Welcome to byline"
sleep 0.3
tmx send-keys -t shot Enter
wait_for "byline:welcome/welcome"
sleep 0.5

tmx capture-pane -e -p -t shot >"$work/screen.ansi"
mkdir -p "$(dirname "$out")"
# NO_COLOR must not reach freeze: it would drop the capture's colours. An
# explicit --width and --height keep freeze from rendering PNGs at 4x (a
# 4160px, 1.4 MB image); a 28px font at 1x gives a sharp 2x picture instead
# (120 columns of 28px JetBrains Mono plus the padding).
env -u NO_COLOR "${freeze[@]}" --language ansi --padding 40 --margin 0 \
  --font.size 28 --line-height 1.2 --width 2100 --height 1180 \
  --output "$out" <"$work/screen.ansi"
chmod 644 "$out"
echo "screenshot: wrote $out"
