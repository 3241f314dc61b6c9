package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bylinehq/byline/news"
)

func sub(url, title string, tags ...string) news.Subscription {
	return news.Subscription{URL: url, Title: title, Tags: tags}
}

// warningLines maps each warned-about line to its warnings, joined.
func warningLines(ws []Warning) map[int]string {
	m := make(map[int]string)
	for _, w := range ws {
		m[w.Line] += w.Text
	}
	return m
}

func TestLoadURLsNewsboatFile(t *testing.T) {
	raw, err := os.ReadFile("testdata/newsboat-urls")
	if err != nil {
		t.Fatal(err)
	}
	// The fixture must keep the awkward bytes it exists to test.
	if !strings.HasPrefix(string(raw), byteOrderMark) || !strings.Contains(string(raw), "\r\n") {
		t.Fatal("testdata/newsboat-urls lost its BOM or CRLF line endings")
	}

	subs, warnings, err := LoadURLs("testdata/newsboat-urls")
	if err != nil {
		t.Fatal(err)
	}
	want := []news.Subscription{
		sub("https://lwn.net/headlines/rss", "LWN.net", "linux", "news"),
		sub("https://www.phoronix.com/rss.php", "", "linux", "hardware"),
		sub("https://blog.fefe.de/rss.xml?html", "", "interesting", "conspiracy", "news", "cool stuff"),
		sub("https://rss.orf.at/news.xml", "ORF News", "news", "orf"),
		sub("https://xkcd.com/atom.xml", "", "comics"),
		sub("https://www.schneier.com/feed/atom/", "Schneier on Security", "security"),
		sub("https://hnrss.org/frontpage?points=100", `HN "100+"`, "tech", "!hidden"),
		sub("https://example.com/café/feed.xml", "Café", "tag with spaces"),
		sub("https://go.dev/blog/feed.atom", "", "go"),
	}
	if !reflect.DeepEqual(subs, want) {
		t.Errorf("subscriptions:\n got %q\nwant %q", subs, want)
	}

	list, _, err := LoadFeedList("testdata/newsboat-urls")
	if err != nil {
		t.Fatal(err)
	}
	wantQueries := []news.Subscription{{URL: `query:Unread Articles:unread = "yes"`, Title: "Unread Articles", Query: `unread = "yes"`, Tags: []string{"queries"}}}
	if !reflect.DeepEqual(list.Queries, wantQueries) || !reflect.DeepEqual(list.Subscriptions, want) {
		t.Errorf("feed list: queries %q, subscriptions %q", list.Queries, list.Subscriptions)
	}

	got := warningLines(warnings)
	wantWarnings := map[int]string{
		13: "`exec:` feeds are not supported",
		14: "`filter:` feeds are not supported",
		15: "already on line 4",
		19: `unsupported URL scheme "file"`,
	}
	if len(got) != len(wantWarnings) || len(warnings) != len(wantWarnings) {
		t.Errorf("want exactly one warning on each of lines 13-15 and 19, got %v", warnings)
	}
	for line, text := range wantWarnings {
		if !strings.Contains(got[line], text) {
			t.Errorf("line %d: warning %q does not mention %q", line, got[line], text)
		}
	}
}

func TestParseURLsTokens(t *testing.T) {
	tests := []struct {
		name, line string
		want       []news.Subscription
		warn       string // substring of the only warning, "" for none
	}{
		{"bare URL", "https://a.example/feed", []news.Subscription{sub("https://a.example/feed", "")}, ""},
		{"fragment is not a comment", "https://a.example/feed#top x", []news.Subscription{sub("https://a.example/feed#top", "", "x")}, ""},
		{"quoted URL", `"https://a.example/feed" x`, []news.Subscription{sub("https://a.example/feed", "", "x")}, ""},
		{"escapes", `https://a.example/ "a \"b\" \\c"`, []news.Subscription{sub("https://a.example/", "", `a "b" \c`)}, ""},
		{"tab escape becomes a space", `https://a.example/ "a\tb"`, []news.Subscription{sub("https://a.example/", "", "a b")}, ""},
		{"last title wins", `https://a.example/ "~One" "~Two"`, []news.Subscription{sub("https://a.example/", "Two")}, ""},
		{"empty title and tags dropped", `https://a.example/ "~" "" "  "`, []news.Subscription{sub("https://a.example/", "")}, ""},
		{"repeated tag", `https://a.example/ x y x`, []news.Subscription{sub("https://a.example/", "", "x", "y")}, ""},
		{"quote glued to next token", `https://a.example/ "a"b`, []news.Subscription{sub("https://a.example/", "", "a", "b")}, ""},
		{"unterminated quote", `https://a.example/ "open tag`, []news.Subscription{sub("https://a.example/", "", "open tag")}, "not closed"},
		{"comment with leading space", "   # https://a.example/", nil, ""},
		{"only spaces", " \t ", nil, ""},
		{"byline feed", "byline:welcome byline", []news.Subscription{sub("byline:welcome", "", "byline")}, ""},
		{"no scheme", "example.com/feed", nil, "needs http"},
		{"no host", "https:///feed", nil, "no host"},
		{"invalid UTF-8", "https://a.example/ caf\xe9", []news.Subscription{sub("https://a.example/", "", "caf\uFFFD")}, "UTF-8"},
		{"control characters", "https://a.example/ \"a\x1b[31mb\"", []news.Subscription{sub("https://a.example/", "", "a [31mb")}, ""},
		{"uppercase exec", "EXEC:rm -rf ~", nil, "`exec:`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subs, warnings, err := ParseURLs(strings.NewReader(tt.line))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(subs, tt.want) {
				t.Errorf("got %q, want %q", subs, tt.want)
			}
			switch {
			case tt.warn == "" && len(warnings) > 0:
				t.Errorf("unexpected warnings %v", warnings)
			case tt.warn != "" && (len(warnings) != 1 || !strings.Contains(warnings[0].Text, tt.warn)):
				t.Errorf("warnings %v, want one mentioning %q", warnings, tt.warn)
			}
		})
	}
}

func TestParseQueryFeeds(t *testing.T) {
	query := func(url, name, expr string, tags ...string) news.Subscription {
		return news.Subscription{URL: url, Title: name, Query: expr, Tags: tags}
	}
	tests := []struct {
		name, line string
		want       []news.Subscription
		warn       string // substring of the only warning, "" for none
	}{
		{"newsboat's example", `"query:Unread Articles:unread = \"yes\""`,
			[]news.Subscription{query(`query:Unread Articles:unread = "yes"`, "Unread Articles", `unread = "yes"`)}, ""},
		{"tags", `"query:Tech unread:unread = \"yes\" and tags # \"tech\"" tech daily`,
			[]news.Subscription{query(`query:Tech unread:unread = "yes" and tags # "tech"`, "Tech unread", `unread = "yes" and tags # "tech"`, "tech", "daily")}, ""},
		{"a range keeps its colon", `"query:This week:age between 0:7"`,
			[]news.Subscription{query("query:This week:age between 0:7", "This week", "age between 0:7")}, ""},
		{"renamed", `"query:q:flags # \"s\"" "~Starred by me"`,
			[]news.Subscription{query(`query:q:flags # "s"`, "Starred by me", `flags # "s"`)}, ""},
		{"unquoted without spaces", `query:Old:age>30`, []news.Subscription{query("query:Old:age>30", "Old", "age>30")}, ""},
		{"bad expression", `"query:Bad:title =~ \"[[\""`, nil, `query feed "Bad": filter expression: column 10: bad regular expression`},
		{"unknown attribute", `"query:X:enclosure_url != \"\""`, nil, `unknown attribute "enclosure_url"`},
		{"no name", `"query::unread = \"yes\""`, nil, "needs a name"},
		{"no expression", `query:Name:`, nil, "no filter expression"},
		{"no colon", `query:Name`, nil, "no filter expression"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, warnings, err := ParseFeedList(strings.NewReader(tt.line))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(list.Queries, tt.want) || len(list.Subscriptions) != 0 {
				t.Errorf("got %q (and %q), want %q", list.Queries, list.Subscriptions, tt.want)
			}
			switch {
			case tt.warn == "" && len(warnings) > 0:
				t.Errorf("unexpected warnings %v", warnings)
			case tt.warn != "" && (len(warnings) != 1 || !strings.Contains(warnings[0].Text, tt.warn)):
				t.Errorf("warnings %v, want one mentioning %q", warnings, tt.warn)
			}
			// A query feed written out reads back the same.
			for _, q := range list.Queries {
				again, _, _ := ParseFeedList(strings.NewReader(formatURLLine(q)))
				if len(again.Queries) != 1 || !reflect.DeepEqual(again.Queries[0], q) {
					t.Errorf("%q written as %s reads back as %q", q, formatURLLine(q), again.Queries)
				}
			}
		})
	}
}

// Query feeds are added and removed like any line, the rest of the file
// kept as it was.
func TestAddRemoveQueryFeed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "urls")
	before := "# my feeds\nhttps://a.example/feed tech\n"
	if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	q := news.Subscription{Title: "Tech unread", Query: `unread = "yes" and tags # "tech"`, Tags: []string{"daily"}}
	if err := AddURL(path, q); err != nil {
		t.Fatal(err)
	}
	list, warnings, err := LoadFeedList(path)
	if err != nil || len(warnings) > 0 || len(list.Queries) != 1 {
		t.Fatalf("after AddURL: %q, %v, %v", list.Queries, warnings, err)
	}
	added := list.Queries[0]
	if added.URL != `query:Tech unread:unread = "yes" and tags # "tech"` || added.Title != q.Title || added.Query != q.Query {
		t.Errorf("added %q", added)
	}
	if err := AddURL(path, q); !errors.Is(err, ErrDuplicate) {
		t.Errorf("adding it again: %v", err)
	}
	removed, err := RemoveURL(path, added.URL)
	if err != nil || len(removed) != 1 {
		t.Fatalf("RemoveURL: %q, %v", removed, err)
	}
	if got, _ := os.ReadFile(path); string(got) != before {
		t.Errorf("after removing the query feed:\n%s\nwant\n%s", got, before)
	}
}

func TestReadBounded(t *testing.T) {
	if got, err := readBounded(strings.NewReader("1234"), 4); err != nil || got != "1234" {
		t.Errorf("at the limit: %q, %v", got, err)
	}
	if _, err := readBounded(strings.NewReader("12345"), 4); err == nil || !strings.Contains(err.Error(), "larger than 4B") {
		t.Errorf("over the limit: %v, want an error", err)
	}
}

func TestEnsureURLsWritesStarterOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "config")
	path := filepath.Join(dir, "urls")

	created, err := EnsureURLs(path)
	if err != nil || !created {
		t.Fatalf("EnsureURLs = %v, %v; want created", created, err)
	}
	assertMode(t, dir, dirMode)
	assertMode(t, path, 0o644&^umask(t))

	subs, warnings, err := LoadURLs(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) > 0 {
		t.Errorf("starter list has warnings: %v", warnings)
	}
	if len(subs) < 7 || len(subs) > 11 {
		t.Errorf("starter list has %d feeds, want byline:welcome and 6-10 news feeds", len(subs))
	}
	if !reflect.DeepEqual(subs[0], sub("byline:welcome", "", "byline")) {
		t.Errorf("first starter feed is %q, want byline:welcome tagged byline", subs[0])
	}
	for _, s := range subs[1:] {
		if !strings.HasPrefix(s.URL, "https://") || len(s.Tags) == 0 {
			t.Errorf("starter feed %q should be https and tagged", s)
		}
	}

	if err := os.WriteFile(path, []byte("https://mine.example/feed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	created, err = EnsureURLs(path)
	if err != nil || created {
		t.Fatalf("second EnsureURLs = %v, %v; want untouched", created, err)
	}
	if data, _ := os.ReadFile(path); string(data) != "https://mine.example/feed\n" {
		t.Errorf("EnsureURLs overwrote an existing list: %q", data)
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s has mode %v, want %v", path, got, want)
	}
}

func TestAddURL(t *testing.T) {
	tests := []struct {
		name, before, after string
	}{
		{"new file", "", "https://b.example/ x \"two words\" \"~B \\\"quoted\\\"\"\n"},
		{"no final newline", "# list\nhttps://a.example/", "# list\nhttps://a.example/\nhttps://b.example/ x \"two words\" \"~B \\\"quoted\\\"\"\n"},
		{"CRLF file", "\ufeff# list\r\nhttps://a.example/\r\n", "\ufeff# list\r\nhttps://a.example/\r\nhttps://b.example/ x \"two words\" \"~B \\\"quoted\\\"\"\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cfg", "urls")
			if tt.before != "" {
				writeFile(t, path, tt.before)
			}
			add := sub("https://b.example/", `B "quoted"`, "x", "two words")
			if err := AddURL(path, add); err != nil {
				t.Fatal(err)
			}
			if got := readFile(t, path); got != tt.after {
				t.Errorf("file is\n%q\nwant\n%q", got, tt.after)
			}
			subs, _, err := LoadURLs(path)
			if err != nil {
				t.Fatal(err)
			}
			if last := subs[len(subs)-1]; !reflect.DeepEqual(last, add) {
				t.Errorf("read back %q, want %q", last, add)
			}
			if err := AddURL(path, sub("https://b.example/", "", "other")); !errors.Is(err, ErrDuplicate) {
				t.Errorf("adding it again: %v, want ErrDuplicate", err)
			}
		})
	}
}

func TestAddURLRefusesUnsupportedURL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "urls")
	if err := AddURL(path, sub("exec:date", "")); err == nil {
		t.Fatal("AddURL accepted an exec: URL")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused AddURL created the file: %v", err)
	}
}

func TestRemoveURL(t *testing.T) {
	const before = "\ufeffhttps://a.example/ news \"~Alpha News\"\r\n" +
		"# keep this comment  \r\n" +
		"https://b.example/ x\r\n" +
		"exec:keep-me\r\n" +
		"\r\n" +
		"https://a.example/ duplicate\r\n" +
		"https://c.example/" // no final newline
	tests := []struct {
		name, target, after string
		removed             []news.Subscription
	}{
		{"by URL, every copy", "https://a.example/",
			"\ufeff# keep this comment  \r\nhttps://b.example/ x\r\nexec:keep-me\r\n\r\nhttps://c.example/",
			[]news.Subscription{sub("https://a.example/", "Alpha News", "news"), sub("https://a.example/", "", "duplicate")}},
		{"not by title", "Alpha News", before, nil},
		{"last line", "https://c.example/",
			"\ufeffhttps://a.example/ news \"~Alpha News\"\r\n# keep this comment  \r\nhttps://b.example/ x\r\nexec:keep-me\r\n\r\nhttps://a.example/ duplicate\r\n",
			[]news.Subscription{sub("https://c.example/", "")}},
		{"no match", "https://nowhere.example/", before, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "urls")
			writeFile(t, path, before)
			if err := os.Chmod(path, 0o600); err != nil {
				t.Fatal(err)
			}
			removed, err := RemoveURL(path, tt.target)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(removed, tt.removed) {
				t.Errorf("removed %q, want %q", removed, tt.removed)
			}
			if got := readFile(t, path); got != tt.after {
				t.Errorf("file is\n%q\nwant\n%q", got, tt.after)
			}
			assertMode(t, path, 0o600)
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("temporary files left behind: %v", entries)
			}
		})
	}
}

func TestRemoveURLKeepsSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles-urls")
	link := filepath.Join(dir, "urls")
	writeFile(t, real, "https://a.example/\nhttps://b.example/\n")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("symlinks unavailable:", err)
	}
	if _, err := RemoveURL(link, "https://a.example/"); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced by a file")
	}
	if got := readFile(t, real); got != "https://b.example/\n" {
		t.Errorf("target file is %q", got)
	}
}

func TestURLLineRoundTrip(t *testing.T) {
	subs := []news.Subscription{
		sub("https://a.example/?q=1&x=\"y\"", "~tilde title \\ with backslash", "#hash", "!hidden", `quote"inside`, "back\\slash", "spaced tag", "ünïcødé"),
		sub("byline:welcome", ""),
		sub("http://b.example/", "https://b.example/"),
	}
	for _, s := range subs {
		line := formatURLLine(s)
		got, ok, warnings := parseURLLine(line)
		if !ok || len(warnings) > 0 || !reflect.DeepEqual(got, s) {
			t.Errorf("%q → %q → %q (ok %v, warnings %v)", s, line, got, ok, warnings)
		}
	}
}

// FuzzURLs checks that no input panics and that whatever is read can be
// written back and read again unchanged.
func FuzzURLs(f *testing.F) {
	if data, err := os.ReadFile("testdata/newsboat-urls"); err == nil {
		f.Add(string(data))
	}
	f.Add(starterURLs)
	f.Add(`https://a.example/ "~T \"x\"" tag "two words" # c`)
	f.Add("\"unterminated \\")
	f.Add("https://a.example/ \"a\\\nb\"")
	f.Fuzz(func(t *testing.T, input string) {
		subs, warnings, err := ParseURLs(strings.NewReader(input))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range warnings {
			if w.Line < 1 || w.Text == "" {
				t.Errorf("bad warning %+v", w)
			}
		}
		var out strings.Builder
		for _, s := range subs {
			assertCleanSubscription(t, s)
			if canon, err := normalizeSubscription(s); err != nil || !reflect.DeepEqual(canon, s) {
				t.Fatalf("parsed subscription %q is not canonical (%v)", s, err)
			}
			out.WriteString(formatURLLine(s) + "\n")
		}
		again, warnings, err := ParseURLs(strings.NewReader(out.String()))
		if err != nil || len(warnings) > 0 {
			t.Fatalf("re-reading %q: %v %v", out.String(), warnings, err)
		}
		if !reflect.DeepEqual(again, subs) {
			t.Fatalf("round trip changed\n%q\ninto\n%q", subs, again)
		}
	})
}

// assertCleanSubscription checks that a subscription's title and tags,
// which the TUI and the CLI print, hold no control characters and no bidi
// embeddings, overrides or isolates.
func assertCleanSubscription(t *testing.T, s news.Subscription) {
	t.Helper()
	for _, text := range append([]string{s.Title}, s.Tags...) {
		for _, r := range text {
			if r < 0x20 || r == 0x7f || (0x80 <= r && r <= 0x9f) || (0x202a <= r && r <= 0x202e) || (0x2066 <= r && r <= 0x2069) {
				t.Fatalf("subscription %q carries %U", s, r)
			}
		}
	}
}

func TestSubscriptionTextLosesBidiControls(t *testing.T) {
	subs, _, err := ParseURLs(strings.NewReader("https://a.example/ \"~Evil \u202etxt.exe\u202c\" \"\u2067tag\u2069\" \"\u202e\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []news.Subscription{sub("https://a.example/", "Evil txt.exe", "tag")}
	if !reflect.DeepEqual(subs, want) {
		t.Fatalf("got %q, want %q", subs, want)
	}
	subs, _, err = ParseOPML(strings.NewReader(`<opml><body><outline text="x" title="T&#x202E;&#x2066;itle" category="a&#x202D;b" xmlUrl="https://b.example/"/></body></opml>`))
	if err != nil {
		t.Fatal(err)
	}
	if want := []news.Subscription{sub("https://b.example/", "Title", "ab")}; !reflect.DeepEqual(subs, want) {
		t.Fatalf("OPML: got %q, want %q", subs, want)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// bigList is a feed list of n lines in the shape real lists have.
func bigList(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "https://feeds%d.example.com/rss.xml?page=%d news \"tag %d\" \"~Feed number %d\"\n", i%97, i, i%13, i)
		if i%10 == 0 {
			b.WriteString("# a comment line\n\n")
		}
	}
	return b.String()
}

func BenchmarkParseURLs(b *testing.B) {
	list := bigList(5000)
	b.SetBytes(int64(len(list)))
	for b.Loop() {
		subs, _, err := ParseURLs(strings.NewReader(list))
		if err != nil || len(subs) != 5000 {
			b.Fatal(len(subs), err)
		}
	}
}

func TestTagLines(t *testing.T) {
	for _, tt := range []struct {
		line  string
		title string
		tags  []string
	}{
		{"tech news", "", []string{"tech", "news"}},
		{`tech "two words" "~My Name"`, "My Name", []string{"tech", "two words"}},
		{"", "", nil},
		{`"~Only a name"`, "Only a name", nil},
	} {
		title, tags := ParseTagLine(tt.line)
		if title != tt.title || !reflect.DeepEqual(tags, tt.tags) {
			t.Errorf("ParseTagLine(%q) = %q, %q", tt.line, title, tags)
		}
		if again, againTags := ParseTagLine(FormatTagLine(title, tags)); again != title || !reflect.DeepEqual(againTags, tags) {
			t.Errorf("FormatTagLine(%q, %q) = %q does not read back", title, tags, FormatTagLine(title, tags))
		}
	}
}

// Editing a line rewrites it alone, with its line ending; a query feed
// keeps its token.
func TestUpdateURL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "urls")
	before := "# feeds\r\nhttps://a.example/feed old \"~Old\"\r\n\"query:Q:age > 1\" x\r\n# the end\r\n"
	if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := UpdateURL(path, "https://a.example/feed", "New name", []string{"tech", "two words"}); err != nil {
		t.Fatal(err)
	}
	if err := UpdateURL(path, "query:Q:age > 1", "", []string{"daily"}); err != nil {
		t.Fatal(err)
	}
	want := "# feeds\r\nhttps://a.example/feed tech \"two words\" \"~New name\"\r\n\"query:Q:age > 1\" daily\r\n# the end\r\n"
	if got, _ := os.ReadFile(path); string(got) != want {
		t.Errorf("after the edits:\n%q\nwant\n%q", got, want)
	}
	if sub, err := LookupURL(path, "query:Q:age > 1"); err != nil || sub.Title != "Q" || !reflect.DeepEqual(sub.Tags, []string{"daily"}) {
		t.Errorf("LookupURL: %+v, %v", sub, err)
	}
	if err := UpdateURL(path, "https://nosuch.example/", "", nil); err == nil {
		t.Error("editing a URL that is not there succeeded")
	}
}
