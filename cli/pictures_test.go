package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi/kitty"
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
	run := proxied(h, srv.URL)
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
			if mode == "kitty" {
				checkKittyStream(t, out)
			}
		})
	}
	text := read("none")
	for _, line := range []string{
		"[image: Bar chart of the catch landed each day this week] [1]",
		"[image: An impossibly large panorama of the bay] [5]",
		"[image: A photo the server lost] [6]",
	} {
		if !strings.Contains(text, line) {
			t.Errorf("--images none lacks %q:\n%s", line, text)
		}
	}
	// The image on a tracker's host is not even listed.
	if strings.Contains(text, "pixel.wp.com") {
		t.Errorf("the tracker's image is listed:\n%s", text)
	}
	if strings.Contains(text, "\x1b_G") || strings.Contains(text, "▀") {
		t.Error("--images none drew a picture")
	}
	// Under NO_COLOR (as the tests run) auto means placeholders. Unlike
	// none, which fetches and loads no pictures, it knows the 1×1 image
	// for a tracking pixel (fetched by the reads above), whose line goes.
	auto := read("auto")
	if pictureLines(auto) != "" {
		t.Errorf("auto under NO_COLOR drew pictures:\n%s", auto)
	}
	if !strings.Contains(text, "[image] [4]") || strings.Contains(auto, "[image] [4]") || strings.Contains(auto, "photo-pixel.gif") {
		t.Errorf("the tracking pixel: with none\n%s\nwith auto\n%s", text, auto)
	}
	for line := range strings.Lines(text) {
		if !strings.Contains(line, "[4]") && !strings.Contains(auto, line) {
			t.Errorf("auto under NO_COLOR lacks none's line %q", line)
		}
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

// proxied runs byline in h with the fixture server at proxy as its HTTP
// proxy, so that http://news.test/… is the fixture server whatever its port.
func proxied(h *home, proxy string) func(args ...string) (string, string, error) {
	return func(args ...string) (string, string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := h.command(ctx, args...)
		for i, kv := range cmd.Env {
			if k, _, _ := strings.Cut(kv, "="); strings.EqualFold(k, "http_proxy") {
				cmd.Env[i] = k + "=" + proxy
			}
		}
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		return out.String(), errOut.String(), err
	}
}

// TestReadFeedTextDrawsPictures: a full-content feed's item is read from
// the feed's own text, and its pictures are drawn like a page's: fetched
// once, kept beside the article, drawn from the cache offline. The 1×1
// image (from a host no list names) is refused once its header is read,
// and its line leaves the story; the bomb's caption line stays.
func TestReadFeedTextDrawsPictures(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, "http://news.test/photo-feed.rss\n")
	run := proxied(h, srv.URL)
	if _, errOut, err := run("refresh"); err != nil {
		t.Fatalf("refresh: %v\n%s", err, errOut)
	}
	rows := h.list()
	if len(rows) != 1 {
		t.Fatalf("%d articles, want 1", len(rows))
	}
	id := itoa(rows[0].ID)
	read := func(mode string) string {
		t.Helper()
		out, errOut, err := run("read", id, "--format", "ansi", "--images", mode, "--width", "72", "--style", "plain")
		if err != nil || errOut != "" {
			t.Fatalf("read %s --images %s: %v\n%s", id, mode, err, errOut)
		}
		return out
	}
	online := read("halfblocks")
	golden.RequireEqual(t, online)
	plain := stripANSI(online)
	if n := strings.Count(plain, "▀"); n == 0 {
		t.Fatalf("no picture drawn:\n%s", plain)
	}
	for _, caption := range []string{"[image: Bar chart of the catch landed each day this week] [1]",
		// Numbers are kept: the pixel's [2] is gone, not given to another.
		"[image: A sailing boat leaving the harbour] [3]", "[image: An impossibly large panorama of the bay] [4]"} {
		if !strings.Contains(plain, caption) {
			t.Errorf("the story lacks %q:\n%s", caption, plain)
		}
	}
	if strings.Contains(plain, "photo-pixel.gif") || strings.Contains(plain, "[image]") {
		t.Errorf("the tracking pixel's line stayed:\n%s", plain)
	}
	if md, _, err := run("read", id, "--format", "markdown"); err != nil || strings.Contains(md, "photo-pixel.gif") || !strings.Contains(md, "[image: An impossibly large panorama of the bay] [4]") {
		t.Errorf("markdown (%v):\n%s", err, md)
	}
	// Offline the same story, pictures and all, comes from the cache.
	srv.Close()
	if offline := read("halfblocks"); offline != online {
		t.Errorf("offline the story differs:\n%s", stripANSI(offline))
	}
	if kitty := read("kitty"); !strings.Contains(kitty, "\x1b_G") {
		t.Errorf("offline kitty drew no picture")
	}
}

// checkKittyStream holds the kitty output to the rules of the kitty
// graphics protocol's documentation (docs/graphics-protocol.rst, sections
// "Remote client" and "Unicode placeholders"): base64 payload in chunks of
// at most 4096 bytes, each but the last a multiple of 4; m=1 on all but
// the last chunk; later chunks carry only m and q; the first transmits
// and makes a virtual placement (a=T, U=1) with an image ID, columns and
// rows, quietly (q=2); and every placeholder row is U+10EEEE cells with
// row and column diacritics in a foreground colour that is the ID, as many
// rows and columns as the placement has.
func checkKittyStream(t *testing.T, out string) {
	t.Helper()
	type upload struct{ id, cols, rows string }
	var uploads []upload
	rest := out
	for {
		i := strings.Index(rest, "\x1b_G")
		if i < 0 {
			break
		}
		end := strings.Index(rest[i:], "\x1b\\")
		if end < 0 {
			t.Fatal("an APC sequence is not terminated")
		}
		keys, payload, _ := strings.Cut(rest[i+3:i+end], ";")
		rest = rest[i+end+2:]
		kv := map[string]string{}
		for _, pair := range strings.Split(keys, ",") {
			k, v, _ := strings.Cut(pair, "=")
			kv[k] = v
		}
		if len(payload) > 4096 {
			t.Fatalf("chunk of %d bytes", len(payload))
		}
		if kv["m"] == "1" && len(payload)%4 != 0 {
			t.Fatalf("a chunk before the last has %d bytes, not a multiple of 4", len(payload))
		}
		if kv["a"] == "" { // a later chunk
			if len(uploads) == 0 {
				t.Fatal("a continuation chunk comes first")
			}
			for k := range kv {
				if k != "m" && k != "q" {
					t.Fatalf("a later chunk carries %s=", k)
				}
			}
			continue
		}
		if kv["a"] != "T" || kv["U"] != "1" || kv["q"] != "2" || kv["f"] != "100" || kv["i"] == "" || kv["c"] == "" || kv["r"] == "" {
			t.Fatalf("first chunk keys %q", keys)
		}
		uploads = append(uploads, upload{kv["i"], kv["c"], kv["r"]})
	}
	if len(uploads) != 4 {
		t.Fatalf("%d uploads, want 4 (lead, chart, boat, waves)", len(uploads))
	}
	// The placeholders: for each upload, rows × cols cells coloured with its ID.
	for _, u := range uploads {
		id, _ := strconv.Atoi(u.id)
		colour := fmt.Sprintf("\x1b[38;2;%d;%d;%dm", id>>16&0xff, id>>8&0xff, id&0xff)
		var rows []string
		for line := range strings.Lines(out) {
			if j := strings.Index(line, colour); j >= 0 {
				rows = append(rows, strings.TrimSuffix(strings.TrimSuffix(line[j+len(colour):], "\n"), "\x1b[39m"))
			}
		}
		if strconv.Itoa(len(rows)) != u.rows {
			t.Fatalf("image %s: %d placeholder rows, placement has %s", u.id, len(rows), u.rows)
		}
		for r, row := range rows {
			cells := []rune(row)
			if strconv.Itoa(len(cells)/3) != u.cols || len(cells)%3 != 0 {
				t.Fatalf("image %s row %d: %d runes for %s columns", u.id, r, len(cells), u.cols)
			}
			for c := 0; c < len(cells); c += 3 {
				if cells[c] != kitty.Placeholder || cells[c+1] != kitty.Diacritic(r) || cells[c+2] != kitty.Diacritic(c/3) {
					t.Fatalf("image %s cell %d,%d = %q", u.id, r, c/3, string(cells[c:c+3]))
				}
			}
		}
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
