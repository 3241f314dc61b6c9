package filter

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bylinehq/byline/news"
)

var testNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// record is an article of a feed tagged "tech" and "two words", published
// 3 days and 2 hours before testNow.
func record() *Record {
	return &Record{
		Article: &news.Article{
			Title: "Go 1.26 released", Author: "Frank Doe", URL: "https://go.example/1.26", GUID: "tag:go,2026:126",
			Summary: "<p>summary</p>", Content: "<p>The <b>release</b> notes</p>",
			Published: testNow.Add(-(3*24 + 2) * time.Hour), FeedTitle: "Go Blog",
		},
		Feed: &news.Feed{
			Title: "Go Blog", URL: "https://go.example/feed.atom", SiteURL: "https://go.example/",
			Tags: []string{"tech", "two words"}, Unread: 7, Total: 40,
		},
		Now: testNow,
	}
}

func mustMatch(t *testing.T, expr string, r *Record) bool {
	t.Helper()
	e, err := Parse(expr)
	if err != nil {
		t.Fatalf("Parse(%q): %v", expr, err)
	}
	return e.Match(r)
}

// Every attribute, tested with the operators that make sense for it.
func TestAttributes(t *testing.T) {
	date := record().Article.Published.Local().Format(DateLayout)
	tests := []struct {
		expr string
		want bool
	}{
		{`title = "Go 1.26 released"`, true},
		{`title = "go 1.26 released"`, false}, // = is exact
		{`title =~ "^go 1\.26"`, true},        // =~ ignores case
		{`content =~ "<b>release</b>"`, true},
		{`content =~ "summary"`, false}, // content wins over the summary
		{`author = "Frank Doe"`, true},
		{`author # "Doe"`, true},
		{`link = "https://go.example/1.26"`, true},
		{`link =~ "^https:"`, true},
		{`guid = "tag:go,2026:126"`, true},
		{`unread = "yes"`, true},
		{`unread = "no"`, false},
		{`starred = "no"`, true},
		{`flags = ""`, true},
		{`flags # "s"`, false},
		{`age = 3`, true},
		{`age > 2`, true},
		{`age < 3`, false},
		{`age between 0:3`, true},
		{`date = "` + date + `"`, true},
		{`date =~ "Mar 2026"`, true},
		{`date < "2026-03-08"`, true},  // byline: dates compare as dates
		{`date > "2026-03-08"`, false}, // published 2026-03-07 10:00 UTC
		{`feedtitle = "Go Blog"`, true},
		{`feedurl = "https://go.example/feed.atom"`, true},
		{`rssurl =~ "atom$"`, true},
		{`feedlink = "https://go.example/"`, true},
		{`tags # "tech"`, true},
		{`tags # "two"`, true},        // newsboat splits tags on spaces
		{`tags # "two words"`, false}, // so a tag with a space never matches whole
		{`tags = "tech two words "`, true},
		{`tags !# "news"`, true},
		{`unread_count = 7`, true},
		{`total_count >= 40`, true},
	}
	for _, tt := range tests {
		if got := mustMatch(t, tt.expr, record()); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.expr, got, tt.want)
		}
	}

	r := record()
	r.Article.Read, r.Article.Starred = true, true
	for expr, want := range map[string]bool{
		`unread = "no"`: true, `starred = "yes"`: true, `flags = "s"`: true, `flags # "s"`: true, `flags =~ "s"`: true,
	} {
		if got := mustMatch(t, expr, r); got != want {
			t.Errorf("read and starred: %s: got %v, want %v", expr, got, want)
		}
	}

	r = record()
	r.Article.Content = ""
	if !mustMatch(t, `content = "<p>summary</p>"`, r) {
		t.Error("content without content: want the summary")
	}
	r.Feed = nil
	if !mustMatch(t, `feedtitle = "Go Blog"`, r) || !mustMatch(t, `feedurl = ""`, r) || !mustMatch(t, `tags = ""`, r) {
		t.Error("record without a feed: want the article's feed title and empty feed attributes")
	}
}

// The operators, on the cases newsboat's own matcher tests check.
func TestOperators(t *testing.T) {
	withTitle := func(title string) *Record {
		r := record()
		r.Article.Title = title
		return r
	}
	tests := []struct {
		title, expr string
		want        bool
	}{
		// = compares strings, numbers as written.
		{"xyz", `title = "xyz"`, true},
		{"xyz", `title == "xyz"`, true},
		{"xyz", `title = "uiop"`, false},
		{"42", `title = 42`, true},
		{"42", `title = 0042`, false},
		{"007", `title = 7`, false},
		{"007", `title = 007`, true},
		{"42", `title = 0:100`, false},
		{"42", `title = ""`, false},
		{"", `title = ""`, true},
		// != is the negation of =.
		{"xyz", `title != "uiop"`, true},
		{"xyz", `title != "xyz"`, false},
		{"007", `title != 7`, true},
		{"42", `title != 0:42`, true},
		// =~ is a regular expression, ignoring case; numbers and ranges are its text.
		{"12345", `title =~ "."`, true},
		{"12345", `title =~ "234"`, true},
		{"12345", `title =~ "^12345$"`, true},
		{"12345", `title =~ "^123456$"`, false},
		{"12345", `title =~ 45`, true},
		{"12345", `title =~ 9`, false},
		{"0:123", `title =~ 0:12`, true},
		{"12345", `title =~ 0:12345`, false},
		{"xyz", `title =~ "^XyZ$"`, true},
		{"Sponsored: buy", `title =~ "sponsored|advert"`, true},
		{"a word here", `title =~ "\<word\>"`, true}, // GNU word boundaries
		{`say "hi"`, `title =~ "\"hi\""`, true},
		// !~ is its negation.
		{"12345", `title !~ "567"`, true},
		{"12345", `title !~ "123"`, false},
		{"12345", `title !~ 0:12345`, true},
		// < > <= >= compare numeric prefixes; no digits is 0.
		{"12345", `title > "12344"`, true},
		{"12345", `title > "12345"`, false},
		{"12345", `title < "123456"`, true},
		{"12345", `title >= 12345`, true},
		{"12345", `title <= 12344`, false},
		{"12345xx", `title >= "12345"`, true},
		{"12345xx", `title > "1234a"`, true},
		{"12345xx", `title < "12345a"`, false},
		{"0", `title < "unknown"`, false},
		{"0", `title <= "unknown"`, true},
		{"yeah", `title >= "0"`, true},
		{"yeah", `title > "0"`, false},
		{"12345", `title > 0:99999`, true}, // a range reads as its first number
		{"12345", `title <= 0:99999`, false},
		{" -12", `title < -11`, true},
		{"99999999999", `title = 99999999999`, true},
		{"99999999999", `title > 2147483646`, true},
		{"99999999999", `title > 2147483647`, false}, // cut to 32 bits
		// between takes a range, either way round; else it matches nothing.
		{"12345", `title between 0:12345`, true},
		{"12345", `title between 12345:12345`, true},
		{"12345", `title between 23:12344`, false},
		{"12345", `title between 12346:12344`, true},
		{"12345", `title between 12345`, false},
		{"12345", `title between "123"`, false},
		{"12345", `title between "0:99999"`, true},
		{"123four", `title between 122:124`, true},
		{"sure", `title between 0:1`, true},
		{"sure", `title between 1:100`, false},
		{"12345", `title between -100:-1`, false},
		// # tests for a space-separated word.
		{"foo bar baz quux", `title # "foo"`, true},
		{"foo bar baz quux", `title # "quux"`, true},
		{"foo bar baz quux", `title # "uu"`, false},
		{"foo bar baz quux", `title # "foo bar"`, false},
		{"foo  bar", `title # "bar"`, true},
		{"1 1 2 3 5 8", `title # 3`, true},
		{"1 1 2 3 5 8", `title # 4`, false},
		{"1 1 2 3 5 8", `title # 1:5`, false},
		{"one", `title # "one"`, true},
		{"one", `title # ""`, false},
		// !# is its negation.
		{"foo bar baz", `title !# "nein"`, true},
		{"foo bar baz", `title !# "foo"`, false},
		{"one", `title !# ""`, true},
	}
	for _, tt := range tests {
		if got := mustMatch(t, tt.expr, withTitle(tt.title)); got != tt.want {
			t.Errorf("title %q: %s: got %v, want %v", tt.title, tt.expr, got, tt.want)
		}
	}
}

func TestLogic(t *testing.T) {
	tests := []struct {
		expr, tree string
		want       bool
	}{
		{`age = 3 and unread = "yes"`, `age = 3 and unread = "yes"`, true},
		{`age = 3 and unread = "no"`, `age = 3 and unread = "no"`, false},
		{`age = 1 or unread = "yes"`, `age = 1 or unread = "yes"`, true},
		// newsboat: equal precedence, grouping to the right.
		{`age = 1 and age = 2 or age = 3`, `age = 1 and (age = 2 or age = 3)`, false},
		{`age = 3 or age = 2 and age = 1`, `age = 3 or (age = 2 and age = 1)`, true},
		{`(age = 3 or age = 2) and age = 1`, `(age = 3 or age = 2) and age = 1`, false},
		{`((age = 3))`, `age = 3`, true},
		{`age=3and(unread="yes")`, `age = 3 and unread = "yes"`, true},
		{`age = 3and unread = "yes"`, `age = 3 and unread = "yes"`, true},
		{`title="Go 1.26 released"or age=9`, `title = "Go 1.26 released" or age = 9`, true},
		{`   tags   #   "tech"   `, `tags # "tech"`, true},
		{`tags#"tech"`, `tags # "tech"`, true},
	}
	for _, tt := range tests {
		e, err := Parse(tt.expr)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.expr, err)
		}
		if got := e.Root.String(); got != tt.tree {
			t.Errorf("Parse(%q) = %s, want %s", tt.expr, got, tt.tree)
		}
		if got := e.Match(record()); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.expr, got, tt.want)
		}
		// The tree written back parses to the same tree.
		again, err := Parse(e.Root.String())
		if err != nil || again.Root.String() != e.Root.String() {
			t.Errorf("reparse of %q: %v, %v", e.Root.String(), again, err)
		}
	}
}

func TestStrings(t *testing.T) {
	tests := []struct {
		expr, text, raw string
	}{
		{`title = "plain"`, "plain", "plain"},
		{`title = ""`, "", ""},
		{`title = "say \"hi\""`, `say "hi"`, `say \"hi\"`},
		{`title = "back\\slash"`, `back\slash`, `back\\slash`},
		{`title = "C:\temp"`, `C:\temp`, `C:\temp`},
		{`title = "and or ( ) # ="`, "and or ( ) # =", "and or ( ) # ="},
		{`title = "ünïcödé ✓"`, "ünïcödé ✓", "ünïcödé ✓"},
	}
	for _, tt := range tests {
		e, err := Parse(tt.expr)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.expr, err)
		}
		v := e.Root.(*Comparison).Value
		if v.Text != tt.text || v.Raw != tt.raw || v.Kind != String {
			t.Errorf("%s: value %+v, want text %q raw %q", tt.expr, v, tt.text, tt.raw)
		}
	}
	for expr, kind := range map[string]ValueKind{`age = 3`: Number, `age = -3`: Number, `age between 1:5`: Range, `age between -5:-1`: Range} {
		if v := MustParse(expr).Root.(*Comparison).Value; v.Kind != kind {
			t.Errorf("%s: kind %v, want %v", expr, v.Kind, kind)
		}
	}
}

// Errors name the column where the expression goes wrong.
func TestErrors(t *testing.T) {
	tests := []struct {
		expr   string
		column int
		msg    string
	}{
		{``, 1, "expected an attribute name"},
		{`=!`, 1, "expected an attribute name"},
		{`nosuch = "x"`, 1, `unknown attribute "nosuch"`},
		{`Title = "x"`, 1, `unknown attribute "Title"`},
		{`enclosure_url = ""`, 1, `unknown attribute "enclosure_url"`},
		{`title !! "b"`, 7, "expected an operator"},
		{`title`, 6, "expected an operator"},
		{`title =¯ "foo"`, 8, "expected a value"},
		{`title = b`, 9, "expected a value"},
		{`title = "b`, 9, "never closed"},
		{`title = "b\"`, 9, "never closed"},
		{`title =~ "[["`, 10, "bad regular expression"},
		{`title =~ "(a"`, 10, "missing closing )"},
		{`((title = "b")))`, 16, `expected "and", "or" or the end`},
		{`(title = "b"`, 1, "never closed"},
		{`(title = "b" xyz)`, 14, `expected "and", "or" or ")", found "xyz)"`},
		{`age between 0:15:30`, 17, "expected \"and\""},
		{`age = 42andy=0`, 9, "expected \"and\""},
		{`age = 42 andy = 0`, 10, "expected \"and\""},
		{`title = "x" and`, 16, "expected an attribute name"},
		{`title = "x" and `, 17, "expected an attribute name"},
		{"title\t= \"value\"", 6, "expected an operator"},
		{"title =\t\"value\"", 8, "expected a value"},
		{"title = \"value\"\r\n", 16, "expected \"and\""},
		{`é = 1`, 1, "expected an attribute name"},
		{`title = "ü" and 名前 = 1`, 17, "expected an attribute name"},
		{"title = \"\xff\"", 10, "not valid UTF-8"},
		{strings.Repeat("(", 60) + `age = 1` + strings.Repeat(")", 60), 52, "nested deeper"},
		{strings.Repeat(`age = 1 and `, 200) + `age = 1`, 2401, "more than 200 comparisons"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.expr)
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("Parse(%q): error %v, want a *SyntaxError", tt.expr, err)
			continue
		}
		if se.Column != tt.column || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Parse(%q): %v; want column %d and %q", tt.expr, err, tt.column, tt.msg)
		}
	}
	if _, err := Parse(strings.Repeat(" ", maxLength+1)); err == nil {
		t.Error("an expression past the length limit parsed")
	}
}

func TestUses(t *testing.T) {
	e := MustParse(`(title =~ "x" or content =~ "y") and tags # "z"`)
	for a, want := range map[Attribute]bool{Title: true, Content: true, Tags: true, Author: false, Unread: false} {
		if e.Uses(a) != want {
			t.Errorf("Uses(%v) = %v, want %v", a, !want, want)
		}
	}
}

func TestToNumber(t *testing.T) {
	for s, want := range map[string]int64{
		"7654": 7654, "123foo": 123, "-999999bar": -999999, "-2147483648min": -2147483648,
		"2147483647 is ok": 2147483647, "-2147483649 too small": -2147483648, "2147483648 too large": 2147483647,
		"hello": 0, "": 0, "  42": 42, "\t\n42": 42, "+5": 5, "-": 0, "4:5": 4, "99999999999999999999999999": 2147483647,
	} {
		if got := ToNumber(s); got != want {
			t.Errorf("ToNumber(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestAgeDays(t *testing.T) {
	for _, tt := range []struct {
		ago  time.Duration
		want int64
	}{{0, 0}, {23 * time.Hour, 0}, {24 * time.Hour, 1}, {47 * time.Hour, 1}, {-25 * time.Hour, -1}} {
		if got := AgeDays(testNow.Add(-tt.ago), testNow); got != tt.want {
			t.Errorf("AgeDays(now - %v) = %d, want %d", tt.ago, got, tt.want)
		}
	}
}

func TestRegexpLiterals(t *testing.T) {
	for _, tt := range []struct {
		re    string
		words []string
		only  bool
	}{
		{"Sponsored", []string{"sponsored"}, true},
		{"^Go 1", []string{"go 1"}, false},
		{"linux|bsd", []string{"linux", "bsd"}, false},
		{"(rust|go)lang", []string{"lang"}, false},
		{"a.*longer", []string{"longer"}, false},
		{"(ab|cd)+", []string{"ab", "cd"}, false},
		{"x?", nil, false},
		{"foo|.*", nil, false},
		{"[0-9]+", nil, false},
		{"café", nil, false}, // not ASCII: no shortcut
		{`\<ad\>`, []string{"ad"}, false},
	} {
		c := MustParse(`title =~ "` + tt.re + `"`).Root.(*Comparison)
		words, ok := c.Literals()
		if !slices.Equal(words, tt.words) || ok != (tt.words != nil) || c.literal != tt.only {
			t.Errorf("%s: Literals() = %q, %v, only %v; want %q, only %v", tt.re, words, ok, c.literal, tt.words, tt.only)
		}
	}
}

// The shortcut for a plain word agrees with the regular expression, for
// ASCII text and for the Unicode letters that fold onto ASCII ones.
func TestPlainWordShortcut(t *testing.T) {
	texts := []string{"", "a", "Linux", "LINUX kernel", "gnu/linux", "lin ux", "\u212Aernel", "ſtuff", "KERNEL", "kErNeL news", "x-kernel-y"}
	for _, word := range []string{"linux", "Kernel", "STUFF", "news", "x"} {
		c := MustParse(`title =~ "` + word + `"`).Root.(*Comparison)
		if !c.literal {
			t.Fatalf("%s: no shortcut", word)
		}
		for _, text := range texts {
			if got, want := c.matchRegexp(text), c.re.MatchString(text); got != want {
				t.Errorf("%q =~ %q: shortcut %v, regexp %v", text, word, got, want)
			}
		}
	}
}
