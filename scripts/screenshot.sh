#!/usr/bin/env bash
# Regenerates the screenshots in README.md from the running program:
#
#   bash scripts/screenshot.sh [OUT.png|OUT.svg]              # default docs/byline.png
#   bash scripts/screenshot.sh --pictures [OUT.png|OUT.svg]   # default docs/pictures.png
#
# byline runs in a private tmux server (120x32) on a throw-away --home whose
# urls file holds only byline:welcome, the feed built into the binary, with
# every proxy pointed at a closed port: no network is used. The script opens
# the welcome article, captures the pane with its colours (capture-pane -e)
# and renders the capture with freeze, pinned and run through the Go
# toolchain. Needs tmux (apt-get install -y tmux) and Go; where freeze cannot
# draw PNGs, Chromium (apt-get install -y chromium) draws its SVG.
#
# With --pictures the feed is bench/cmd/photoserver's, on loopback: the
# story of cli/testdata/photo-story.html, with its lead photo and figures
# drawn in half blocks (what images = "auto" picks inside tmux), captured
# in true colour.
set -euo pipefail
cd "$(dirname "$0")/.."

pictures=
if [[ ${1:-} == --pictures ]]; then
  pictures=1
  shift
fi
out=${1:-docs/byline.png}
[[ -n $pictures ]] && out=${1:-docs/pictures.png}
freeze=(go run github.com/charmbracelet/freeze@v0.2.2)

if ! command -v tmux >/dev/null; then
  echo "screenshot: tmux is needed (apt-get install -y tmux)" >&2
  exit 1
fi

work=$(mktemp -d)
sock="byline-screenshot-$$"
conf=/dev/null
tmx() { tmux -L "$sock" -f "$conf" "$@"; }
cleanup() {
  tmx kill-server 2>/dev/null || true
  [[ -n ${server:-} ]] && kill "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

CGO_ENABLED=0 go build -o "$work/byline" .
mkdir "$work/home"
printf 'byline:welcome\n' >"$work/home/urls"
if [[ -n $pictures ]]; then
  go build -o "$work/photoserver" ./bench/cmd/photoserver
  "$work/photoserver" -url-file "$work/url" -testdata cli/testdata &
  server=$!
  for _ in $(seq 100); do [[ -s $work/url ]] && break; sleep 0.1; done
  printf '%s/feed.xml\n' "$(cat "$work/url")" >"$work/home/urls"
fi

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
if [[ -n $pictures ]]; then
  # tmux gives its panes TERM=tmux-256color, which says nothing of true
  # colour; the photo is worth it.
  conf=$work/tmux.conf
  echo 'set -g default-terminal xterm-256color' >"$conf"
fi
tmx new-session -d -x 120 -y 32 -s shot \
  -e TERM=xterm-256color -e COLORTERM=truecolor -e NO_COLOR= \
  -e HTTP_PROXY=$closed -e HTTPS_PROXY=$closed -e http_proxy=$closed -e https_proxy=$closed \
  "$work/byline --home $work/home"

wait_for "Refreshed 1 feed"     # the feeds screen, after the start-up refresh
tmx send-keys -t shot Enter     # All
wait_for "All articles"
if [[ -n $pictures ]]; then
  tmx send-keys -t shot Enter   # the newest: the story with its photo
  wait_for "Ines Costa"         # its page, fetched with its pictures
  sleep 1
else
  tmx send-keys -t shot G       # the last article: "Welcome to byline"
  sleep 0.3
  tmx send-keys -t shot Enter
  wait_for "byline:welcome/welcome"
  sleep 0.5
fi

tmx capture-pane -e -p -t shot >"$work/screen.ansi"
mkdir -p "$(dirname "$out")"
# NO_COLOR must not reach freeze: it would drop the capture's colours. An
# explicit --width and --height keep freeze from rendering PNGs at 4x (a
# 4160px, 1.4 MB image); a 28px font at 1x gives a sharp 2x picture instead
# (120 columns of 28px JetBrains Mono plus the padding).
# Half blocks need rows that touch: line height 1 for the pictures.
line_height=1.2 height=1180
[[ -n $pictures ]] && line_height=1.0 height=1000
render() {
  env -u NO_COLOR "${freeze[@]}" --language ansi --padding 40 --margin 0 \
    --font.size 28 --line-height "$line_height" --width 2100 --height "$height" \
    --output "$1" <"$work/screen.ansi"
}
# freeze draws PNGs with resvg compiled to WebAssembly, which dies with a
# fault on some machines (seen with Go 1.24 and 1.26 alike); its SVG, drawn
# by Chromium with the font the SVG embeds, is the same picture. (Where
# rsvg-convert is installed freeze uses it instead, and it ignores that
# font: remove librsvg2-bin for these screenshots.)
if ! render "$out" 2>"$work/freeze.err"; then
  chromium=$(command -v chromium || command -v chromium-browser || true)
  if [[ $out != *.png || -z $chromium ]]; then
    cat "$work/freeze.err" >&2
    echo "screenshot: freeze failed; for a PNG, install chromium (apt-get install -y chromium) and run again" >&2
    exit 1
  fi
  render "$work/screen.svg"
  # No network, no profile of the user's, nothing kept.
  "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/chromium" --hide-scrollbars --window-size="2100,$height" \
    --screenshot="$out" "file://$work/screen.svg" >/dev/null 2>&1
  [[ -s $out ]] || { echo "screenshot: chromium wrote no $out" >&2; exit 1; }
fi
chmod 644 "$out"
echo "screenshot: wrote $out"
