package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/picture"
)

// BenchmarkKeyPressOnLongList measures one j or k on a 10,000-article
// list: Update plus the View that draws the next frame (target ≤ 5 ms).
// Page loads the moves ask for run outside the timer, as they run off
// the UI goroutine in the program.
func BenchmarkKeyPressOnLongList(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {200, 60}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			h := bigHarness(b, 10_000, size[0], size[1])
			down, up := keyPress("j"), keyPress("k")
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				key := down
				if (i/300)%2 == 1 {
					key = up
				}
				next, cmd := h.m.Update(key)
				h.m = next.(Model)
				_ = h.m.View()
				if cmd != nil {
					b.StopTimer()
					h.run(cmd)
					b.StartTimer()
				}
			}
		})
	}
}

// BenchmarkScrollReader measures one line of scrolling in the reader.
func BenchmarkScrollReader(b *testing.B) {
	f := newFixture(b)
	h := newHarness(b, f.deps(), testSettings(), 140, 40)
	h.press("enter", "enter")
	keys := []tea.KeyPressMsg{keyPress("j"), keyPress("k")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		next, _ := h.m.Update(keys[(i/20)%2])
		h.m = next.(Model)
		_ = h.m.View()
	}
}

// hugeReader serves one article of about 47,000 words in 470 paragraphs,
// each with a numbered link, the size of the longest pages byline keeps.
type hugeReader struct{ doc *article.Article }

func newHugeReader() *hugeReader {
	var md strings.Builder
	var links []article.Link
	for i := 1; i <= 470; i++ {
		for w := range 99 {
			fmt.Fprintf(&md, "word%d ", (i*w)%997)
		}
		fmt.Fprintf(&md, "see [%d].\n\n", i)
		links = append(links, article.Link{N: i, Text: fmt.Sprint("link ", i), URL: fmt.Sprintf("http://127.0.0.1/%d", i), Followable: true})
	}
	return &hugeReader{doc: &article.Article{URL: "http://127.0.0.1/huge", Title: "A very long read",
		Published: now0, Markdown: md.String(), Links: links}}
}

func (r *hugeReader) Story(context.Context, news.Article, config.FullText) (*article.Article, error) {
	return r.doc, nil
}

func (r *hugeReader) Follow(context.Context, string) (*article.Article, error) { return r.doc, nil }

func (r *hugeReader) Similar(context.Context, news.Article, int) ([]news.Article, error) {
	return nil, nil
}

// BenchmarkHugeArticle measures, on the UI goroutine, what a 47,000-word
// article costs while it is re-rendered for a new width (target ≤ 5 ms
// each, so keys never wait): the resize itself, a key pressed before the
// new rendering arrives, and taking the rendering in when it does. The
// rendering itself runs in a command, off this goroutine, outside the timer.
func BenchmarkHugeArticle(b *testing.B) {
	open := func(b *testing.B) *harness {
		f := newFixture(b)
		deps := f.deps()
		deps.Reader = newHugeReader()
		h := newHarness(b, deps, testSettings(), 140, 40)
		h.press("enter", "enter")
		if !strings.Contains(h.view(), "word") {
			b.Fatalf("the article is not on screen:\n%s", h.view())
		}
		return h
	}
	b.Run("resize", func(b *testing.B) {
		h := open(b)
		widths := []int{120, 140}
		b.ResetTimer()
		for i := range b.N {
			next, _ := h.m.Update(tea.WindowSizeMsg{Width: widths[i%2], Height: 40})
			h.m = next.(Model)
			_ = h.m.View()
		}
	})
	b.Run("key-while-rerendering", func(b *testing.B) {
		h := open(b)
		next, _ := h.m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		h.m = next.(Model)
		keys := []tea.KeyPressMsg{keyPress("space"), keyPress("j"), keyPress("pgup"), keyPress("k")}
		b.ResetTimer()
		for i := range b.N {
			next, _ := h.m.Update(keys[i%len(keys)])
			h.m = next.(Model)
			_ = h.m.View()
		}
	})
	b.Run("rendering-arrives", func(b *testing.B) {
		h := open(b)
		next, _ := h.m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		h.m = next.(Model)
		narrow := h.m
		cmd := narrow.renderCurrent()
		if cmd == nil {
			b.Fatal("no rendering asked for the new width")
		}
		msg := cmd()
		b.ResetTimer()
		for range b.N {
			next, _ := narrow.Update(msg)
			_ = next.(Model).View()
		}
	})
}

// BenchmarkOpenArticleWithPictures measures opening a kept article with
// three pictures (a lead photo and two figures, kept in the cache) at
// 120×40 in half-block mode, from the key to the frame (target ≤ 80 ms):
// a new Model each time, so nothing is rendered yet, and the commands
// (the cache read, the rendering with its pictures) run inside the timer.
func BenchmarkOpenArticleWithPictures(b *testing.B) {
	deps, _ := photoStory(b)
	settings := testSettings()
	settings.Images = picture.ModeHalfBlocks
	warm := newHarness(b, deps, settings, 120, 40)
	warm.press("enter", "enter") // fetches the page and keeps its pictures
	if !strings.Contains(warm.m.View().Content, "▀") {
		b.Fatalf("no pictures:\n%s", warm.view())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		h := newHarness(b, deps, settings, 120, 40)
		h.press("enter")
		b.StartTimer()
		h.press("enter")
		if v := h.m.View().Content; !strings.Contains(v, "▀") {
			b.Fatal("the pictures are not on screen")
		}
	}
}

// BenchmarkScrollReaderWithPictures measures a line of scrolling through
// an article with three half-block pictures at 120×40 (target ≤ 5 ms).
func BenchmarkScrollReaderWithPictures(b *testing.B) {
	deps, _ := photoStory(b)
	settings := testSettings()
	settings.Images = picture.ModeHalfBlocks
	h := newHarness(b, deps, settings, 120, 40)
	h.press("enter", "enter")
	keys := []tea.KeyPressMsg{keyPress("j"), keyPress("k")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		next, _ := h.m.Update(keys[(i/30)%2])
		h.m = next.(Model)
		_ = h.m.View()
	}
}
