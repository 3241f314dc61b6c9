package cache

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/bylinehq/byline/news"
)

// titled saves one article per title (GUID = key) in feed id.
func titled(t *testing.T, s *Store, id int64, titles map[string]string) {
	t.Helper()
	var items []news.Item
	for guid, title := range titles {
		it := item(guid, len(items))
		it.Title, it.Summary = title, ""
		items = append(items, it)
	}
	mustSave(t, s, id, okResult(items...))
	mustIndex(t, s) // Similar looks in the title index, which IndexPending fills
}

func TestSimilarSharesSignificantTitleWords(t *testing.T) {
	s := mustOpen(t)
	subs := urls(2)
	ids := subscribe(t, s, subs...)
	titled(t, s, ids[0], map[string]string{
		"source":    "The Volcano Eruption in Iceland Is Over",
		"both":      "Iceland volcano: what the eruption left behind",
		"one":       "A new volcano map",
		"stopwords": "The end is near, and then some",
		"short":     "Is it in or on?",
	})
	titled(t, s, ids[1], map[string]string{"elsewhere": "Volcano tourism booms"})
	source := articleByGUID(t, s, "source")

	similar, err := s.Similar(ctx, source.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := guids(similar)
	if len(got) != 3 || got[0] != "both" || !slices.Contains(got, "one") || !slices.Contains(got, "elsewhere") {
		t.Errorf("Similar = %v; want both first, then one and elsewhere, and never the source or stopword matches", got)
	}
	if similar, err := s.Similar(ctx, source.ID, 1); err != nil || !slices.Equal(guids(similar), []string{"both"}) {
		t.Errorf("limit 1: %v, %v", guids(similar), err)
	}

	// Only articles shown in the lists.
	subscribe(t, s, subs[0])
	if got, err := s.Similar(ctx, source.ID, 10); err != nil || slices.Contains(guids(got), "elsewhere") {
		t.Errorf("after unsubscribing: %v, %v", guids(got), err)
	}

	// A title of stopwords and short words has nothing to match.
	if got, err := s.Similar(ctx, articleByGUID(t, s, "short").ID, 10); err != nil || len(got) != 0 {
		t.Errorf("insignificant title: %v, %v", guids(got), err)
	}
	if _, err := s.Similar(ctx, 987654, 10); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown article: %v", err)
	}
}

func TestSimilarIgnoresWordsCommonInTitles(t *testing.T) {
	s := mustOpen(t)
	id := subscribe(t, s, urls(1)...)[0]
	titles := map[string]string{"source": "Volcano update", "related": "Volcano tourism"}
	for i := range minCommonTitles + 5 {
		titles[fmt.Sprint(i)] = fmt.Sprintf("Weekly update %d", i)
	}
	titled(t, s, id, titles)
	similar, err := s.Similar(ctx, articleByGUID(t, s, "source").ID, 10)
	if err != nil || !slices.Equal(guids(similar), []string{"related"}) {
		t.Errorf("Similar = %v, %v; want only the article sharing the uncommon word", guids(similar), err)
	}
}

func TestSignificantWords(t *testing.T) {
	for title, want := range map[string][]string{
		"The Volcano Eruption in Iceland Is Over": {"volcano", "eruption", "iceland"},
		"Café society: CAFÉ owners say \"no\"":    {"cafe", "society", "owners"},
		"AI and the EU: 日本 asks":                  {"日本", "asks"},
		"NEAR OR NOT AND":                         {"near"},
		"":                                        nil,
	} {
		if got := significantWords(title); !slices.Equal(got, want) {
			t.Errorf("significantWords(%q) = %q, want %q", title, got, want)
		}
	}
}
