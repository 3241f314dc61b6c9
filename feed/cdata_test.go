package feed

import (
	"html"
	"strings"
	"testing"
)

// TestParseLongCDATA checks that setting long CDATA sections aside changes
// nothing: the same text in CDATA and entity-escaped must parse the same.
func TestParseLongCDATA(t *testing.T) {
	// No white space at the ends: gofeed trims escaped text but not CDATA.
	body := strings.TrimSpace(strings.Repeat("<p>Long body with <a href=\"/x?a=1&b=2\">a link</a> &amp; an entity.</p>\n", 20))
	longTitle := strings.Repeat("A very long title ", 20)
	doc := func(wrap func(string) string) []byte {
		return []byte(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
<item><title>` + wrap(longTitle) + `</title><guid>1</guid><description>before ` + wrap(body) + ` after</description>
<content:encoded>` + wrap(body) + `</content:encoded></item>
<item><title>short</title><guid>2</guid><content:encoded>` + wrap("<p>short</p>") + `</content:encoded></item></channel></rss>`)
	}
	cdata := func(s string) string { return "<![CDATA[" + s + "]]>" }
	viaCDATA, err := Parse(doc(cdata), "", "https://example.com/")
	if err != nil {
		t.Fatal(err)
	}
	viaEscapes, err := Parse(doc(html.EscapeString), "", "https://example.com/")
	if err != nil {
		t.Fatal(err)
	}
	for i := range viaCDATA.Items {
		if viaCDATA.Items[i] != viaEscapes.Items[i] {
			t.Errorf("item %d differs:\nCDATA:   %+v\nescaped: %+v", i, viaCDATA.Items[i], viaEscapes.Items[i])
		}
	}
	if got := viaCDATA.Items[0].Content; got != body {
		t.Errorf("content = %q, want the CDATA verbatim", got)
	}
}

func TestCDATAStash(t *testing.T) {
	long := strings.Repeat("x", minStashedCDATA)
	t.Run("round trip", func(t *testing.T) {
		doc := "<a><![CDATA[" + long + "1]]></a><b><![CDATA[short]]></b><c><![CDATA[" + long + "2]]></c>"
		stashed, stash := stashCDATA(doc)
		if len(stash) != 2 || strings.Contains(stashed, long) || !strings.Contains(stashed, "short") {
			t.Fatalf("stashed %q, %d sections", stashed, len(stash))
		}
		if got := stash.restore(stashed); got != doc {
			t.Errorf("restore gave %q", got)
		}
	})
	t.Run("document using the placeholder characters is left alone", func(t *testing.T) {
		doc := "<a>\ue0000\ue001</a><b><![CDATA[" + long + "]]></b>"
		if stashed, stash := stashCDATA(doc); stashed != doc || stash != nil {
			t.Errorf("stashed %q", stashed)
		}
	})
	t.Run("unterminated CDATA", func(t *testing.T) {
		doc := "<a><![CDATA[" + long
		if stashed, stash := stashCDATA(doc); stashed != doc || stash != nil {
			t.Errorf("stashed %q", stashed)
		}
	})
	t.Run("restore keeps what is not a placeholder", func(t *testing.T) {
		stash := cdataStash{"zero"}
		for in, want := range map[string]string{
			"a\ue0000\ue001b":            "azerob",
			"a\ue0009\ue001b":            "a\ue0009\ue001b",
			"a\ue000x\ue001b":            "a\ue000x\ue001b",
			"a\ue000":                    "a\ue000",
			"no placeholder":             "no placeholder",
			"\ue0000\ue001\ue0000\ue001": "zerozero",
		} {
			if got := stash.restore(in); got != want {
				t.Errorf("restore(%q) = %q, want %q", in, got, want)
			}
		}
	})
}
