package ui

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/reader"
	"github.com/bylinehq/byline/refresh"
)

// hostilePieces are the building blocks of hostile strings: every kind of
// escape sequence, control character and Unicode oddity a feed or a page
// could carry to a terminal.
var hostilePieces = []string{
	// CSI: colours, clear screen, alternate screen, cursor report, mouse.
	"\x1b[31m", "\x1b[0m", "\x1b[2J", "\x1b[H", "\x1b[?1049h", "\x1b[6n", "\x1b[?1000h", "\x1b[1;1H", "\x1b[38;2;1;2;3m",
	// OSC: title, clipboard, hyperlinks, colours, notifications; terminated by BEL, ST, or not at all.
	"\x1b]0;pwned\x07", "\x1b]2;title\x1b\\", "\x1b]52;c;cm0gLXJmIC8=\x07", "\x1b]52;p;?\x1b\\",
	"\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "\x1b]8;;javascript:alert(1)\x07js\x1b]8;;\x07",
	"\x1b]8;id=x;file:///etc/passwd\x07f\x1b]8;;\x07", "\x1b]4;1;rgb:ff/00/00\x07", "\x1b]9;notify\x07", "\x1b]0;unterminated",
	// DCS, SOS, PM, APC (kitty graphics), and two-byte escapes.
	"\x1bPq#0;2;0;0;0\x1b\\", "\x1bP$q\"p\x1b\\", "\x1bXsos\x1b\\", "\x1b^pm\x1b\\", "\x1b_Gf=100;AAAA\x1b\\",
	"\x1bc", "\x1b7", "\x1b8", "\x1b(0", "\x1b#8", "\x1b", "\x1b\x1b[",
	// C0 controls and DEL.
	"\r", "\b", "\x07", "\x00", "\x0b", "\x0c", "\x0e", "\x0f", "\x18", "\x1a", "\x7f", "\t", "\n", "\r\n",
	// C1 controls as runes and as raw bytes.
	"\u009b31m", "\u009b2J", "\u009d0;t\u009c", "\u0090q\u009c", "\u0085", "\u0080", "\u009f",
	"\x9b31m", "\x9d0;t\x9c", "\x85", "\xc2\x9b",
	// Bidi embeddings, overrides and isolates; marks.
	"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c",
	// Invalid UTF-8.
	"\xff", "\xfe", "\xc3", "\xe2\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf",
	// Zero-width, combining, wide and emoji.
	"\u200b", "\u200d", "\ufeff", "\u2060", "e\u0301", "\u0301\u0301\u0301\u0301", "Z\u0351\u0352\u0357\u0358",
	"日本語", "한국어", "👩‍👩‍👧‍👦", "🇺🇳", "❤️", "\U0001F600", "\u3000", "\u00a0", "\u2028", "\u2029",
	// Text that decodes to controls later, and Markdown that links.
	"&#27;[1m", "&amp;#x1b;]0;t&#7;", "&#x9b;", "&#x202e;", "[x](javascript:alert(1))", "<javascript:alert(1)>",
	"<file:///etc/passwd>", "`code`", "# heading", "**bold**", "| a | b |", "<b>tag</b>", "%1b%5b",
}

// hostileString makes a random hostile string: hostile pieces among plain
// words, sometimes a random run of bytes, sometimes very long.
func hostileString(rng *rand.Rand) string {
	var b strings.Builder
	for range 1 + rng.IntN(8) {
		switch rng.IntN(8) {
		case 0:
			b.WriteString([]string{"news", "story", "word", "Ada", "river", "flood"}[rng.IntN(6)])
		case 1:
			for range rng.IntN(12) {
				b.WriteByte(byte(rng.IntN(256)))
			}
		case 2:
			b.WriteRune(rune(0x80 + rng.IntN(0x20)))
		default:
			b.WriteString(hostilePieces[rng.IntN(len(hostilePieces))])
		}
		if rng.IntN(3) == 0 {
			b.WriteByte(' ')
		}
	}
	if rng.IntN(12) == 0 {
		return strings.Repeat(b.String(), 200+rng.IntN(300))
	}
	return b.String()
}

// hostileURL is a link as a hostile page might give it.
func hostileURL(rng *rand.Rand) string {
	h := hostileString(rng)
	switch rng.IntN(5) {
	case 0:
		return "http://127.0.0.1/" + h
	case 1:
		return "https://127.0.0.1/a?q=" + url.QueryEscape(h)
	case 2:
		return []string{"javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "mailto:a@127.0.0.1", "-oProxyCommand=x"}[rng.IntN(5)]
	case 3:
		return h
	default:
		return "http://127.0.0.1/" + fmt.Sprint(rng.IntN(1000))
	}
}

// hostileHTML is a feed item's body: paragraphs of hostile text with
// hostile links and images, long enough to scroll.
func hostileHTML(rng *rand.Rand) string {
	var b strings.Builder
	for range 3 + rng.IntN(6) {
		fmt.Fprintf(&b, "<p>%s The council met and the vote was taken. <a href=\"%s\">%s</a> %s</p>\n",
			hostileString(rng), hostileURL(rng), hostileString(rng), hostileString(rng))
		if rng.IntN(3) == 0 {
			fmt.Fprintf(&b, "<p><img src=\"%s\" alt=\"%s\"></p><pre><code>%s</code></pre>\n", hostileURL(rng), hostileString(rng), hostileString(rng))
		}
	}
	return b.String()
}

// hostileReader opens articles through the article package as byline's
// reader does with a feed's text, and returns hostile similar articles
// and, now and then, hostile errors.
type hostileReader struct {
	rng     *rand.Rand
	similar []news.Article
	calls   int
}

func (r *hostileReader) Story(_ context.Context, a news.Article, _ config.FullText) (*article.Article, error) {
	return reader.FeedText(a), nil
}

func (r *hostileReader) Follow(_ context.Context, link string) (*article.Article, error) {
	r.calls++
	if r.calls%2 == 0 {
		return nil, fmt.Errorf("fetch %s: %s", link, hostileString(r.rng))
	}
	return article.FromFeed(hostileString(r.rng), link, hostileString(r.rng), now0, hostileHTML(r.rng)), nil
}

func (r *hostileReader) Similar(context.Context, news.Article, int) ([]news.Article, error) {
	return r.similar, nil
}

// hostileStore fills a real cache with hostile strings in every field,
// stored through the cache's public API as they are, without the feed
// parser's sanitizing: the views must not trust the cache.
func hostileStore(t *testing.T, rng *rand.Rand) *cache.Store {
	t.Helper()
	store := openStore(t)
	ctx := context.Background()
	var subs []news.Subscription
	for i := range 4 {
		sub := news.Subscription{URL: fmt.Sprintf("http://127.0.0.1/%d/%s", i, hostileString(rng))}
		if i%2 == 1 {
			sub.Title = hostileString(rng)
		}
		for range rng.IntN(3) {
			sub.Tags = append(sub.Tags, hostileString(rng))
		}
		subs = append(subs, sub)
	}
	if err := store.SyncSubscriptions(ctx, subs); err != nil {
		t.Fatal(err)
	}
	feeds, err := store.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, fd := range feeds {
		var items []news.Item
		for n := range 3 + rng.IntN(5) {
			items = append(items, news.Item{
				GUID: fmt.Sprintf("%d-%d", i, n), URL: hostileURL(rng), Title: hostileString(rng), Author: hostileString(rng),
				Summary: hostileString(rng), Content: hostileHTML(rng),
				Published: now0.Add(-time.Duration(rng.IntN(500)) * time.Hour),
			})
		}
		// Words every title shares, so that a search finds them all.
		items[0].Title += " flood"
		r := feed.Result{URL: fd.URL, Status: feed.StatusOK, Feed: &feed.Document{Title: hostileString(rng), SiteURL: hostileURL(rng), Items: items}}
		if _, err := store.SaveResult(ctx, fd.ID, r); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			failed := feed.Result{URL: fd.URL, Status: feed.StatusFailed, Err: errors.New(hostileString(rng)), MovedTo: hostileURL(rng)}
			if _, err := store.SaveResult(ctx, fd.ID, failed); err != nil {
				t.Fatal(err)
			}
		}
	}
	return store
}

// TestHostileStringsNeverReachTheTerminal fills every field the views show
// with random hostile strings, drives every screen at several sizes and
// checks each frame: the only escape sequences allowed are byline's own
// SGR styling and OSC 8 hyperlinks to clean http(s) URLs, and no other
// control character may appear.
func TestHostileStringsNeverReachTheTerminal(t *testing.T) {
	rounds := 4
	if testing.Short() {
		rounds = 1
	}
	for round := range rounds {
		rng := rand.New(rand.NewPCG(0xb71e, uint64(round)))
		t.Run(fmt.Sprint("seed", round), func(t *testing.T) {
			store := hostileStore(t, rng)
			var similar []news.Article
			for i := range 3 {
				similar = append(similar, news.Article{ID: int64(9000 + i), Title: hostileString(rng), FeedTitle: hostileString(rng), URL: hostileURL(rng), Published: now0})
			}
			reader := &hostileReader{rng: rng, similar: similar}
			refresher := &fakeRefresher{}
			for i := range 3 {
				p := refresh.Progress{Done: i + 1, Total: 3}
				p.Failed = i
				p.Last = refresh.Outcome{
					Feed:   news.Feed{Title: hostileString(rng), URL: hostileURL(rng)},
					Result: feed.Result{URL: hostileURL(rng), Status: feed.StatusFailed, Err: errors.New(hostileString(rng))},
				}
				refresher.events = append(refresher.events, p)
			}
			deps := Deps{
				Store: store, Reader: reader, Refresher: refresher,
				Now: clock, Getenv: func(string) string { return "" },
			}
			for _, size := range [][2]int{{80, 24}, {140, 40}, {24, 8}} {
				driveHostile(t, deps, rng, size[0], size[1])
			}
		})
	}
}

// typed is s cut to a length worth typing key by key.
func typed(s string) string {
	if len(s) > 300 {
		return strings.ToValidUTF8(s[:300], "")
	}
	return s
}

// driveHostile visits every screen, checking each frame.
func driveHostile(t *testing.T, deps Deps, rng *rand.Rand, width, height int) {
	t.Helper()
	h := newHarness(t, deps, testSettings(), width, height)
	check := func(where string) {
		t.Helper()
		if err := checkFrame(h.m.View().Content); err != nil {
			t.Fatalf("%dx%d %s: %v", width, height, where, err)
		}
	}
	check("feeds")
	for range 8 {
		h.press("j", "e") // each feed's error in the status line
		check("feed error")
	}
	h.press("?")
	check("help")
	h.press("esc", "g")
	for range 5 {
		h.press("j", "enter") // tags and feeds
		check("article list of a feed")
		h.press("esc")
	}
	h.press("g", "enter")
	check("article list")
	for range 4 {
		h.press("j")
		check("article list")
	}
	h.press("g", "enter")
	check("reader")
	for range 4 {
		h.press("tab")
		check("reader with a link selected")
	}
	h.press("space", "G")
	check("reader scrolled")
	h.press("t")
	check("reader toggled text")
	h.press("o", "y")
	check("reader after open and copy")
	h.press("L")
	check("link list")
	h.press("j", "j")
	check("link list")
	h.press("/")
	h.typeText(typed(hostileString(rng)))
	check("link list filter")
	h.send(tea.PasteMsg{Content: hostileString(rng)})
	check("link list filter paste")
	h.press("esc", "esc")
	h.press("tab", "enter") // follow a link, hostile page or hostile error
	check("followed page")
	h.press("tab", "enter")
	check("followed again")
	h.send(browserDoneMsg{url: hostileURL(rng), err: errors.New(hostileString(rng))})
	check("browser error")
	h.press("esc", "esc", "esc", "esc")
	h.press("R")
	check("refresh")
	h.press("/")
	h.typeText(typed(hostileString(rng)))
	check("search input")
	h.send(tea.PasteMsg{Content: hostileString(rng)})
	check("search input paste")
	h.press("esc", "/")
	h.typeText(typed("flood " + hostileString(rng)))
	h.press("enter")
	check("search results")
	h.press("/")
	h.typeText("flood")
	h.press("enter")
	check("search results")
	h.press("j", "enter")
	check("reader from search")
	h.send(tea.WindowSizeMsg{Width: width + 7, Height: height + 3})
	check("reader resized")
}

// checkFrame returns what in a frame could make a terminal do something
// other than show text in byline's colours.
func checkFrame(s string) error {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			n, err := checkEscape(s[i:])
			if err != nil {
				return fmt.Errorf("at byte %d: %w in …%q…", i, err, s[max(0, i-40):min(len(s), i+60)])
			}
			i += n
		case c == '\n':
			i++
		case c < 0x20 || c == 0x7f:
			return fmt.Errorf("control byte %#x at %d in …%q…", c, i, s[max(0, i-40):min(len(s), i+40)])
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				return fmt.Errorf("invalid UTF-8 byte %#x at %d in …%q…", c, i, s[max(0, i-40):min(len(s), i+40)])
			case 0x80 <= r && r <= 0x9f, 0x202a <= r && r <= 0x202e, 0x2066 <= r && r <= 0x2069:
				return fmt.Errorf("control %U at %d in …%q…", r, i, s[max(0, i-40):min(len(s), i+40)])
			}
			i += size
		}
	}
	return nil
}

// checkEscape checks the escape sequence at the start of s and returns
// its length. Allowed are SGR (ESC [ params m) and OSC 8 hyperlinks whose
// target is empty or an http(s) URL in printable ASCII.
func checkEscape(s string) (int, error) {
	if strings.HasPrefix(s, "\x1b[") {
		for j := 2; j < len(s); j++ {
			c := s[j]
			switch {
			case c == 'm':
				if params := s[2:j]; strings.Trim(params, "0123456789;:") != "" {
					return 0, fmt.Errorf("SGR with parameters %q", params)
				}
				return j + 1, nil
			case '0' <= c && c <= '9', c == ';', c == ':':
			default:
				return 0, fmt.Errorf("CSI sequence %q", s[:j+1])
			}
		}
		return 0, errors.New("unterminated CSI sequence")
	}
	if strings.HasPrefix(s, "\x1b]8;") {
		end := strings.IndexAny(s[1:], "\x07\x1b\n") + 1
		if end < 1 || (s[end] == '\x1b' && !strings.HasPrefix(s[end:], "\x1b\\")) || s[end] == '\n' {
			return 0, errors.New("unterminated OSC 8 hyperlink")
		}
		params, target, _ := strings.Cut(s[len("\x1b]8;"):end], ";")
		if err := checkHyperlink(params, target); err != nil {
			return 0, err
		}
		if s[end] == '\x07' {
			return end + 1, nil
		}
		return end + 2, nil
	}
	return 0, fmt.Errorf("escape sequence %q", s[:min(len(s), 8)])
}

func checkHyperlink(params, target string) error {
	for _, s := range []string{params, target} {
		for i := 0; i < len(s); i++ {
			if s[i] <= ' ' || s[i] >= 0x7f {
				return fmt.Errorf("hyperlink %q;%q holds byte %#x", params, target, s[i])
			}
		}
	}
	if target == "" {
		return nil
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("hyperlink to %q", target)
	}
	return nil
}

// TestCheckFrameCatchesLeaks makes sure the frame checker above is not
// vacuous.
func TestCheckFrameCatchesLeaks(t *testing.T) {
	for _, ok := range []string{
		"", "plain\ntext", "\x1b[0m\x1b[1;38;2;1;2;3mx\x1b[m", "\x1b]8;;https://a.example/x?y=1\x07t\x1b]8;;\x07",
		"\x1b]8;id=1;http://127.0.0.1/\x1b\\t\x1b]8;;\x1b\\", "日本語 👩‍👩‍👧‍👦 e\u0301 \u200e",
	} {
		if err := checkFrame(ok); err != nil {
			t.Errorf("checkFrame(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{
		"\x1b[2J", "\x1b]0;t\x07", "\x1b]52;c;eA==\x07", "\x1b]8;;javascript:alert(1)\x07", "\x1b]8;;file:///etc\x07",
		"\x1b]8;;https://a.example/ b\x07", "\x1b]8;;https://a", "\x1bPq\x1b\\", "\x1b_G\x1b\\", "\x1bc", "\x1b",
		"\r", "\b", "\x07", "\x00", "\t", "\x7f", "\u009b1m", "\x9b", "\xff", "\u202e", "\u2066", "\x1b[31",
	} {
		if checkFrame("a"+bad+"b") == nil {
			t.Errorf("checkFrame accepted %q", bad)
		}
	}
}
