// Package glamour renders Markdown for the terminal. It is charm.land's
// glamour v2.0.1 (MIT, see LICENSE), cut to what byline uses, with one
// change: code blocks are coloured by package highlight instead of
// chroma's quick, lexers and styles packages, whose package initialisation
// parsed every lexer and style chroma has at the start of every byline
// command (27 ms, most of the time of a query of the cache), whether or
// not anything was rendered. Upstream: https://github.com/charmbracelet/glamour.
package glamour

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/bylinehq/byline/internal/glamour/ansi"
	"github.com/bylinehq/byline/internal/glamour/styles"
)

const (
	defaultWidth = 80
	highPriority = 1000
)

// A TermRendererOption sets an option on a TermRenderer.
type TermRendererOption func(*TermRenderer) error

// TermRenderer renders Markdown in a style at a width.
type TermRenderer struct {
	md          goldmark.Markdown
	ansiOptions ansi.Options
}

// NewTermRenderer returns a new TermRenderer the given options.
func NewTermRenderer(options ...TermRendererOption) (*TermRenderer, error) {
	tr := &TermRenderer{
		md: goldmark.New(
			goldmark.WithExtensions(
				extension.GFM,
				extension.DefinitionList,
			),
			goldmark.WithParserOptions(
				parser.WithAutoHeadingID(),
			),
		),
		ansiOptions: ansi.Options{
			WordWrap: defaultWidth,
		},
	}
	for _, o := range options {
		if err := o(tr); err != nil {
			return nil, err
		}
	}
	ar := ansi.NewRenderer(tr.ansiOptions)
	tr.md.SetRenderer(
		renderer.NewRenderer(
			renderer.WithNodeRenderers(
				util.Prioritized(ar, highPriority),
			),
		),
	)
	return tr, nil
}

// WithStandardStyle sets a TermRenderer's styles with a standard (builtin)
// style.
func WithStandardStyle(style string) TermRendererOption {
	return func(tr *TermRenderer) error {
		config, ok := styles.DefaultStyles[style]
		if !ok {
			return fmt.Errorf("%s: style not found", style)
		}
		tr.ansiOptions.Styles = *config
		return nil
	}
}

// WithWordWrap sets a TermRenderer's word wrap.
func WithWordWrap(wordWrap int) TermRendererOption {
	return func(tr *TermRenderer) error {
		tr.ansiOptions.WordWrap = wordWrap
		return nil
	}
}

// Render returns the markdown rendered into a string.
func (tr *TermRenderer) Render(in string) (string, error) {
	var buf bytes.Buffer
	err := tr.md.Convert([]byte(in), &buf)
	return buf.String(), err
}
