package cache

import "testing"

func TestPlainText(t *testing.T) {
	for in, want := range map[string]string{
		"":                                        "",
		"  plain   text\n with\tspaces ":          "plain text with spaces",
		"<p>One</p><p>Two</p>":                    "One Two",
		"wo<b>r</b>d and <EM>emphasis</EM>":       "word and emphasis",
		"line<br>break<BR/>again":                 "line break again",
		"fish &amp; chips &lt;3 &#x263A; &#9731;": "fish & chips <3 ☺ ☃",
		"caf&eacute; crème":                       "café crème",
		"non&nbsp;breaking&nbsp;&nbsp;space":      "non breaking space",
		"AT&T and R&D; &bogus; &":                 "AT&T and R&D; &bogus; &",
		"a < b > c":                               "a < b > c",
		`<a href="x" title="a > b">link</a> text`: "link text",
		"<script>if (a < b) alert(1)</script>ok":  "ok",
		"<STYLE>p { color: red }</style>ok":       "ok",
		"before<!-- <p>hidden</p> -->after":       "before after",
		"<img src=x alt=photo>caption":            "caption",
		"unterminated <a href='x":                 "unterminated",
		"<p>unclosed <script>var x":               "unclosed",
	} {
		if got := plainText(in); got != want {
			t.Errorf("plainText(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkPlainText(b *testing.B) {
	g := newTextGen(9)
	docs := make([]string, 100)
	size := 0
	for i := range docs {
		docs[i] = g.html(3000)
		size += len(docs[i])
	}
	b.SetBytes(int64(size / len(docs)))
	for i := 0; b.Loop(); i++ {
		plainText(docs[i%len(docs)])
	}
}
