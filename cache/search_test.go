package cache

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bylinehq/byline/news"
)

func mustSearch(t testing.TB, s *Store, query string) []news.Hit {
	t.Helper()
	hits, err := s.Search(ctx, query, 50)
	if err != nil {
		t.Fatalf("Search(%q): %v", query, err)
	}
	return hits
}

func hitGUIDs(hits []news.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.GUID
	}
	return out
}

// searchable saves items with the given titles and bodies (HTML).
func searchable(t *testing.T, docs map[string][2]string) *Store {
	t.Helper()
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	var items []news.Item
	for guid, doc := range docs {
		it := item(guid, len(items))
		it.Title, it.Summary, it.Content = doc[0], "", doc[1]
		items = append(items, it)
	}
	mustSave(t, s, id, okResult(items...))
	mustIndex(t, s)
	return s
}

func TestSearchRanksTitleMatchesFirst(t *testing.T) {
	s := searchable(t, map[string][2]string{
		"body":  {"Weekly roundup", "<p>Among other things, the telescope finally opened its shutter.</p>"},
		"title": {"Telescope opens its shutter", "<p>Astronomers cheered on Tuesday.</p>"},
		"none":  {"Gardening notes", "<p>Tomatoes are late this year.</p>"},
	})
	hits := mustSearch(t, s, "telescope")
	if got := hitGUIDs(hits); !slices.Equal(got, []string{"title", "body"}) {
		t.Fatalf("hits %v", got)
	}
	if hits[0].Rank <= hits[1].Rank {
		t.Errorf("ranks %v, %v: the better match must rank higher", hits[0].Rank, hits[1].Rank)
	}
}

func TestSearchNeedsEveryWord(t *testing.T) {
	s := searchable(t, map[string][2]string{
		"both": {"Rust release", "<p>The compiler got faster.</p>"},
		"one":  {"Rust belt", "<p>Factories closed.</p>"},
	})
	if got := hitGUIDs(mustSearch(t, s, "rust compiler")); !slices.Equal(got, []string{"both"}) {
		t.Errorf("hits %v", got)
	}
}

func TestSearchFoldsCaseAndDiacritics(t *testing.T) {
	s := searchable(t, map[string][2]string{
		"cafe": {"Le Café du Coin", "<p>Crème brûlée à volonté.</p>"},
	})
	for _, q := range []string{"cafe", "CAFÉ", "creme brulee", "VOLONTE"} {
		if got := hitGUIDs(mustSearch(t, s, q)); !slices.Equal(got, []string{"cafe"}) {
			t.Errorf("%q: %v", q, got)
		}
	}
}

func TestSearchIndexesTextNotMarkup(t *testing.T) {
	s := searchable(t, map[string][2]string{
		"html": {"Markup", `<div class="lede"><a href="https://tracker.example/x?utm=campaign" rel="nofollow">Volcano</a> erupts</div>` +
			`<script>var analytics = 1;</script><style>.lede { color: red }</style><!-- comment -->`},
	})
	if got := hitGUIDs(mustSearch(t, s, "volcano erupts")); !slices.Equal(got, []string{"html"}) {
		t.Errorf("text: %v", got)
	}
	for _, q := range []string{"href", "lede", "nofollow", "tracker", "utm", "analytics", "color", "comment", "div"} {
		if hits := mustSearch(t, s, q); len(hits) != 0 {
			t.Errorf("%q matched markup", q)
		}
	}
}

func TestSearchTreatsQuerySyntaxAsText(t *testing.T) {
	s := searchable(t, map[string][2]string{
		"a": {"Black and white", "<p>C++ near -x a:b (NOT) OR \"quoted\" 日本語 テキスト naïve ✨ emoji</p>"},
		"b": {"Other", "<p>Nothing relevant here.</p>"},
	})
	for q, want := range map[string][]string{
		`"`:           nil,
		`*`:           nil,
		`AND`:         {"a"},
		`and`:         {"a"},
		`-x`:          {"a"},
		`a:b`:         {"a"},
		`title:black`: nil, // two words, not a column filter
		`(NOT)`:       {"a"},
		`NEAR(c x)`:   {"a"},
		`OR "quoted`:  {"a"},
		`日本語`:         {"a"},
		`テキスト`:        {"a"},
		`naive`:       {"a"},
		`white*`:      {"a"},
		`^black`:      {"a"},
		`✨ black`:     {"a"},
		"black\x00":   {"a"},
		`missing`:     nil,
	} {
		hits, err := s.Search(ctx, q, 10)
		if want == nil && err == nil && len(hits) == 0 {
			continue
		}
		if want == nil && errors.Is(err, ErrEmptyQuery) {
			continue
		}
		if err != nil {
			t.Errorf("Search(%q): %v", q, err)
			continue
		}
		if got := hitGUIDs(hits); !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %v, want %v", q, got, want)
		}
	}
	for _, q := range []string{"", "   ", `"*-:()`, "✨"} {
		if _, err := s.Search(ctx, q, 10); !errors.Is(err, ErrEmptyQuery) {
			t.Errorf("Search(%q) = %v, want ErrEmptyQuery", q, err)
		}
	}
}

func TestSearchSnippetIsPlainTextAroundMatch(t *testing.T) {
	long := strings.Repeat("Filler words about nothing in particular. ", 20) +
		"Then the <b>submarine</b> surfaced near the harbour &amp; everyone watched. " +
		strings.Repeat("More filler after the event. ", 20)
	s := searchable(t, map[string][2]string{"long": {"Harbour news", "<p>" + long + "</p>"}})
	hits := mustSearch(t, s, "SUBMARINE")
	if len(hits) != 1 {
		t.Fatalf("hits %v", hitGUIDs(hits))
	}
	snip := hits[0].Snippet
	if !strings.Contains(snip, "submarine surfaced") || !strings.Contains(snip, "harbour & everyone") {
		t.Errorf("snippet lacks the match: %q", snip)
	}
	if strings.ContainsAny(snip, "<>") || !strings.HasPrefix(snip, "…") || !strings.HasSuffix(snip, "…") {
		t.Errorf("snippet %q", snip)
	}
	if len(snip) > snippetBytes+2*len("…") || !utf8.ValidString(snip) {
		t.Errorf("snippet of %d bytes: %q", len(snip), snip)
	}

	// A title-only match shows the start of the text.
	hits = mustSearch(t, s, "news")
	if len(hits) != 1 || !strings.HasPrefix(hits[0].Snippet, "Filler words") {
		t.Errorf("title match snippet: %q", hits[0].Snippet)
	}
}

func TestSearchHidesUnsubscribedUnlessStarred(t *testing.T) {
	s := mustOpen(t)
	subs := urls(2)
	ids := subscribe(t, s, subs...)
	mustSave(t, s, ids[1], okResult(item("kept", 1), item("dropped", 2)))
	if err := s.SetStarred(ctx, []int64{articleByGUID(t, s, "kept").ID}, true); err != nil {
		t.Fatal(err)
	}
	subscribe(t, s, subs[0])
	mustIndex(t, s)
	if got := hitGUIDs(mustSearch(t, s, "content")); !slices.Equal(got, []string{"kept"}) {
		t.Errorf("hits %v", got)
	}
}

func TestSearchLimit(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	var items []news.Item
	for i := range 30 {
		items = append(items, item(strings.Repeat("x", i+1), i))
	}
	mustSave(t, s, id, okResult(items...))
	hits, err := s.Search(ctx, "summary", 7)
	if err != nil || len(hits) != 7 {
		t.Errorf("Search limit 7: %d hits, %v", len(hits), err)
	}
}

func TestQueryWordsMatchTheIndexTokenizer(t *testing.T) {
	// Every word the query splitter produces, saved as text and searched
	// alone, finds its article: where FTS5 splits it further it is a phrase.
	words := []string{"plain", "ÉCOLE", "naïve", "straße", "日本語", "Ελληνικά", "кириллица", "עברית", "العربية", "हिन्दी",
		"ภาษาไทย", "한국어", "x²", "½", "v1.2.3", "e\u0301t\u00e9", "ﬁnance", "Ⅻ", "\ue000private", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "a\u200db", "𓀀"}
	s := searchable(t, map[string][2]string{"all": {"Words", "<p>" + strings.Join(words, " | ") + "</p>"}})
	for _, w := range words {
		for _, part := range queryWords(w) {
			if hits := mustSearch(t, s, part); len(hits) != 1 {
				t.Errorf("word %q of %q: %d hits", part, w, len(hits))
			}
		}
	}
}

func TestSearchRanksNewestFirstThenLooksBack(t *testing.T) {
	s := mustOpen(t)
	s.searchWindow = 4
	id := subscribe(t, s, urls(1)...)[0]
	var items []news.Item
	for i := range 10 {
		it := item(fmt.Sprint(i), i)
		it.Title = "Common word"
		if i == 1 || i == 2 {
			it.Title += " and an archived rarity"
		}
		if i == 0 {
			// The best match for "common" by far, but old.
			it.Title, it.Summary, it.Content = "Common", "", ""
		}
		items = append(items, it)
	}
	mustSave(t, s, id, okResult(items...))

	hits, err := s.Search(ctx, "common", 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if n, _ := strconv.Atoi(h.GUID); n < 6 {
			t.Errorf("hit %s is older than the newest four", h.GUID)
		}
	}
	if len(hits) != 3 {
		t.Errorf("%d hits, want 3", len(hits))
	}
	// Too few matches among the newest: the rest of the cache is searched.
	if got := hitGUIDs(mustSearch(t, s, "rarity")); len(got) != 2 {
		t.Errorf("old matches: %v", got)
	}
	if got, err := s.Search(ctx, "common", 0); err != nil || len(got) != 10 || got[0].GUID != "0" {
		t.Errorf("unlimited search: %v, %v", hitGUIDs(got), err)
	}
}

// TestSearchCountIsEveryMatchSearchWouldShow: with a limit, Search could not
// say how many matched in all ("200 found" of 6,092).
func TestSearchCountIsEveryMatchSearchWouldShow(t *testing.T) {
	s := mustOpen(t)
	subs := urls(2)
	ids := subscribe(t, s, subs...)
	var items []news.Item
	for i := range 30 {
		items = append(items, item(strings.Repeat("x", i+1), i))
	}
	mustSave(t, s, ids[0], okResult(items...))
	mustSave(t, s, ids[1], okResult(item("kept", 40), item("dropped", 41)))
	if err := s.SetStarred(ctx, []int64{articleByGUID(t, s, "kept").ID}, true); err != nil {
		t.Fatal(err)
	}
	subscribe(t, s, subs[0]) // the second feed's unstarred article is hidden
	mustIndex(t, s)
	hits, err := s.Search(ctx, "summary", 0)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.SearchCount(ctx, "summary")
	if err != nil || n != 31 || n != len(hits) {
		t.Errorf("SearchCount = %d, %v; want the 31 Search finds without a limit (%d)", n, err, len(hits))
	}
	if _, err := s.SearchCount(ctx, "  !!"); !errors.Is(err, ErrEmptyQuery) {
		t.Errorf("SearchCount of no words: %v", err)
	}
	// Like Search, it counts articles not indexed yet.
	mustSave(t, s, ids[0], okResult(item("new", 50)))
	if n, err := s.SearchCount(ctx, "summary"); err != nil || n != 32 {
		t.Errorf("SearchCount with an article pending = %d, %v; want 32", n, err)
	}
}
