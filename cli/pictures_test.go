package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
)

// TestReadDrawsPictures reads a story with a lead photo and figures (JPEG,
// PNG with transparency, an animated GIF, WebP) in each picture mode and
// compares the output with goldens byte for byte, escape sequences and
// all. The page also holds what must not be drawn: a tracking pixel, an
// image on a tracker's host (never requested), a decompression bomb and a
// picture the server lost; their lines stay as text. Offline, the same
// pictures come from the cache.
//
// The story is read as http://news.test/photo-story through the fixture
// server acting as the HTTP proxy, so that its URLs, and the goldens, do
// not depend on the server's port.
func TestReadDrawsPictures(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, "")
	const url = "http://news.test/photo-story"
	run := func(args ...string) (string, string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := h.command(ctx, args...)
		for i, kv := range cmd.Env {
			if k, _, _ := strings.Cut(kv, "="); strings.EqualFold(k, "http_proxy") {
				cmd.Env[i] = k + "=" + srv.URL
			}
		}
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		return out.String(), errOut.String(), err
	}
	read := func(mode string) string {
		t.Helper()
		out, errOut, err := run("read", url, "--format", "ansi", "--images", mode, "--width", "72", "--style", "plain")
		if err != nil {
			t.Fatalf("read --images %s: %v\n%s", mode, err, errOut)
		}
		return out
	}
	modes := []string{"halfblocks", "kitty", "sixel", "iterm"}
	online := map[string]string{}
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			out := read(mode)
			online[mode] = out
			golden.RequireEqual(t, out)
		})
	}
	text := read("none")
	for _, line := range []string{
		"[image: Bar chart of the catch landed each day this week] [1]",
		"[image: An impossibly large panorama of the bay] [6]",
		"[image: A photo the server lost] [7]",
	} {
		if !strings.Contains(text, line) {
			t.Errorf("--images none lacks %q:\n%s", line, text)
		}
	}
	if strings.Contains(text, "\x1b_G") || strings.Contains(text, "▀") {
		t.Error("--images none drew a picture")
	}
	// Under NO_COLOR (as the tests run) auto means placeholders.
	if auto := read("auto"); auto != text {
		t.Errorf("auto under NO_COLOR drew pictures:\n%s", auto)
	}
	// Markdown keeps the placeholder lines.
	if md, _, err := run("read", url, "--format", "markdown"); err != nil || !strings.Contains(md, "[image: A sailing boat leaving the harbour] [2]") {
		t.Errorf("markdown (%v):\n%s", err, md)
	}

	// Offline the kept copy is shown, with a notice above the story; the
	// pictures are drawn from the cache exactly as before.
	srv.Close()
	for _, mode := range modes {
		if got, want := pictureLines(read(mode)), pictureLines(online[mode]); got != want || want == "" {
			t.Errorf("offline %s: the pictures differ from online (%d bytes, want %d)", mode, len(got), len(want))
		}
	}
	if _, errOut, err := run("read", url, "--images", "sixels"); err == nil || !strings.Contains(errOut, `images "sixels": want auto, kitty, sixel, iterm, halfblocks or none`) {
		t.Errorf("bad --images: %v %s", err, errOut)
	}
}

// pictureLines are the lines of a rendering that draw pictures.
func pictureLines(out string) string {
	var b strings.Builder
	for line := range strings.Lines(out) {
		for _, mark := range []string{"▀", "▄", "\x1b_G", "\x1bP", "\x1b]1337;"} {
			if strings.Contains(line, mark) {
				b.WriteString(line)
				break
			}
		}
	}
	return b.String()
}
