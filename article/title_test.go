package article

import (
	"testing"

	"github.com/bylinehq/byline/news"
)

func TestDisplayTitle(t *testing.T) {
	for _, c := range []struct {
		a    news.Article
		want string
	}{
		{news.Article{Title: "Harbour reopens", Summary: "<p>Boats</p>"}, "Harbour reopens"},
		{news.Article{Title: "  ", Summary: "<p>Trains were <b>stopped</b> for three hours</p>"}, "Trains were stopped for three hours"},
		{news.Article{Summary: "<p>one two three four five six seven eight nine ten eleven twelve thirteen</p>"},
			"one two three four five six seven eight nine ten eleven twelve…"},
		{news.Article{Summary: "<script>x()</script>", Content: "<p>From the content</p>"}, "From the content"},
		{news.Article{URL: "https://example.com/only-a-link"}, "https://example.com/only-a-link"},
	} {
		if got := DisplayTitle(c.a); got != c.want {
			t.Errorf("DisplayTitle(%+v) = %q, want %q", c.a, got, c.want)
		}
	}
}
