package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/news"
)

// S saves the story (the page in the reader, else the selected article's
// story) as a Markdown file in save-dir; | pipes it, after a header of
// title, URL, feed and date, into pipe-command, which gets the terminal
// meanwhile (a pager works). Neither runs a shell.

// story is what S and | act on: the page in the reader, or an article
// whose story is still to be had.
type story struct {
	doc     *article.Article // nil: ask the reader for stored's story
	stored  news.Article
	present bool
}

func (m *Model) currentStory() story {
	switch m.screen {
	case readerScreen:
		if p, ok := m.reader.current(); ok && p.doc != nil {
			return story{doc: p.doc, stored: p.open.stored, present: true}
		}
	case articlesScreen:
		if a, ok := m.items.selected(); ok {
			return story{stored: a, present: true}
		}
	}
	return story{}
}

// storyDoc is the story's article, asking the reader when needed.
func storyDoc(ctx context.Context, reader Reader, s story) (*article.Article, error) {
	if s.doc != nil {
		return s.doc, nil
	}
	return reader.Story(ctx, s.stored, "")
}

func (m *Model) saveStory() tea.Cmd {
	s := m.currentStory()
	if !s.present {
		m.status.info("Choose an article first")
		return nil
	}
	dir, err := expandHome(m.settings.SaveDir)
	if err != nil {
		m.status.fail(err)
		return nil
	}
	ctx, reader := m.ctx, m.deps.Reader
	return func() tea.Msg {
		doc, err := storyDoc(ctx, reader, s)
		if err != nil {
			return storySavedMsg{err: err}
		}
		path, err := saveMarkdown(dir, doc)
		return storySavedMsg{path: path, err: err}
	}
}

// storySavedMsg says where S saved a story.
type storySavedMsg struct {
	path string
	err  error
}

// saveMarkdown writes doc's Markdown into dir, under a name made of its
// title, never over another file.
func saveMarkdown(dir string, doc *article.Article) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("save: %w", err)
	}
	base := fileName(doc.Title)
	for n := 1; n < 1000; n++ {
		name := base + ".md"
		if n > 1 {
			name = fmt.Sprintf("%s-%d.md", base, n)
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("save: %w", err)
		}
		_, werr := io.WriteString(f, doc.MarkdownDocument())
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return "", fmt.Errorf("save %s: %w", path, werr)
		}
		return path, nil
	}
	return "", fmt.Errorf("save: %s already holds %s.md and 998 more", dir, base)
}

// fileName makes a title a file name that any system takes: letters and
// digits, the rest runs of dashes, at most 80 characters.
func fileName(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	name := strings.Trim(b.String(), "-")
	if name == "" {
		return "story"
	}
	return name
}

// expandHome reads a leading ~ as the home directory.
func expandHome(path string) (string, error) {
	if path != "~" && !strings.HasPrefix(path, "~/") {
		return path, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("save-dir %s: %w", path, err)
	}
	return filepath.Join(home, strings.TrimPrefix(path, "~")), nil
}

func (m *Model) pipeStory() tea.Cmd {
	s := m.currentStory()
	switch {
	case !s.present:
		m.status.info("Choose an article first")
		return nil
	case len(m.settings.PipeCommand) == 0:
		m.status.info(`Set pipe-command in config.toml to pipe stories, such as pipe-command = ["less"]`)
		return nil
	}
	argv := m.settings.PipeCommand
	program, err := expandHome(argv[0])
	if err != nil {
		m.status.fail(err)
		return nil
	}
	feedTitle := s.stored.FeedTitle
	if fd, ok := m.feeds.feed(s.stored.FeedID); ok {
		feedTitle = fd.Title
	}
	ctx, reader := m.ctx, m.deps.Reader
	// The story is had first, in a command; then the program runs with
	// the terminal, as ExecProcess needs.
	return func() tea.Msg {
		doc, err := storyDoc(ctx, reader, s)
		if err != nil {
			return storyPipedMsg{err: err}
		}
		cmd := exec.Command(program, argv[1:]...)
		return pipeReadyMsg{cmd: &pipedCommand{Cmd: cmd, input: pipeText(doc, feedTitle)}, name: argv[0]}
	}
}

// pipeReadyMsg hands Update the program to run with the terminal.
type pipeReadyMsg struct {
	cmd  *pipedCommand
	name string
}

// storyPipedMsg says how the pipe-command ended.
type storyPipedMsg struct {
	name string
	err  error
}

// pipeText is what | writes: a header, a blank line, the story.
func pipeText(doc *article.Article, feedTitle string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Title: %s\n", oneLine(doc.Title))
	fmt.Fprintf(&b, "URL: %s\n", oneLine(doc.URL))
	if feedTitle != "" {
		fmt.Fprintf(&b, "Feed: %s\n", oneLine(feedTitle))
	}
	if !doc.Published.IsZero() {
		fmt.Fprintf(&b, "Date: %s\n", doc.Published.Format(time.RFC1123Z))
	}
	b.WriteString("\n")
	b.WriteString(doc.MarkdownDocument())
	return b.String()
}

// pipedCommand is a program run with the terminal for its output, and
// the story, not the keyboard, on its standard input.
type pipedCommand struct {
	*exec.Cmd
	input string
}

func (c *pipedCommand) SetStdin(io.Reader)    { c.Stdin = strings.NewReader(c.input) }
func (c *pipedCommand) SetStdout(w io.Writer) { c.Stdout = w }
func (c *pipedCommand) SetStderr(w io.Writer) { c.Stderr = w }
