package ansi

import (
	"fmt"
	"io"
	"sync"

	"github.com/alecthomas/chroma/v2"

	"github.com/bylinehq/byline/internal/highlight"
)

// The chroma formatter name used for rendering.
const chromaFormatter = "terminal256"

// chromaStyles holds the chroma style built from each style config's
// Chroma rules. (Upstream glamour registers one under the name "charm" in
// chroma's global registry, whichever style comes first, so that in a
// program rendering both the light style's code took the dark style's
// colours; chroma's registry is not linked here, see package highlight.)
var chromaStyles sync.Map // *Chroma → *chroma.Style

// A CodeBlockElement is used to render code blocks.
type CodeBlockElement struct {
	Code     string
	Language string
}

func chromaStyle(style StylePrimitive) string {
	var s string

	if style.Color != nil {
		s = *style.Color
	}
	if style.BackgroundColor != nil {
		if s != "" {
			s += " "
		}
		s += "bg:" + *style.BackgroundColor
	}
	if style.Italic != nil && *style.Italic {
		if s != "" {
			s += " "
		}
		s += "italic"
	}
	if style.Bold != nil && *style.Bold {
		if s != "" {
			s += " "
		}
		s += "bold"
	}
	if style.Underline != nil && *style.Underline {
		if s != "" {
			s += " "
		}
		s += "underline"
	}

	return s
}

// styleFor is the chroma style of rules, built once.
func styleFor(rules *Chroma) *chroma.Style {
	if s, ok := chromaStyles.Load(rules); ok {
		return s.(*chroma.Style)
	}
	s, _ := chromaStyles.LoadOrStore(rules, chroma.MustNewStyle("charm", chroma.StyleEntries{
		chroma.Text:                chromaStyle(rules.Text),
		chroma.Error:               chromaStyle(rules.Error),
		chroma.Comment:             chromaStyle(rules.Comment),
		chroma.CommentPreproc:      chromaStyle(rules.CommentPreproc),
		chroma.Keyword:             chromaStyle(rules.Keyword),
		chroma.KeywordReserved:     chromaStyle(rules.KeywordReserved),
		chroma.KeywordNamespace:    chromaStyle(rules.KeywordNamespace),
		chroma.KeywordType:         chromaStyle(rules.KeywordType),
		chroma.Operator:            chromaStyle(rules.Operator),
		chroma.Punctuation:         chromaStyle(rules.Punctuation),
		chroma.Name:                chromaStyle(rules.Name),
		chroma.NameBuiltin:         chromaStyle(rules.NameBuiltin),
		chroma.NameTag:             chromaStyle(rules.NameTag),
		chroma.NameAttribute:       chromaStyle(rules.NameAttribute),
		chroma.NameClass:           chromaStyle(rules.NameClass),
		chroma.NameConstant:        chromaStyle(rules.NameConstant),
		chroma.NameDecorator:       chromaStyle(rules.NameDecorator),
		chroma.NameException:       chromaStyle(rules.NameException),
		chroma.NameFunction:        chromaStyle(rules.NameFunction),
		chroma.NameOther:           chromaStyle(rules.NameOther),
		chroma.Literal:             chromaStyle(rules.Literal),
		chroma.LiteralNumber:       chromaStyle(rules.LiteralNumber),
		chroma.LiteralDate:         chromaStyle(rules.LiteralDate),
		chroma.LiteralString:       chromaStyle(rules.LiteralString),
		chroma.LiteralStringEscape: chromaStyle(rules.LiteralStringEscape),
		chroma.GenericDeleted:      chromaStyle(rules.GenericDeleted),
		chroma.GenericEmph:         chromaStyle(rules.GenericEmph),
		chroma.GenericInserted:     chromaStyle(rules.GenericInserted),
		chroma.GenericStrong:       chromaStyle(rules.GenericStrong),
		chroma.GenericSubheading:   chromaStyle(rules.GenericSubheading),
		chroma.Background:          chromaStyle(rules.Background),
	}))
	return s.(*chroma.Style)
}

// Render renders a CodeBlockElement.
func (e *CodeBlockElement) Render(w io.Writer, ctx RenderContext) error {
	bs := ctx.blockStack

	var indentation uint
	var margin uint
	rules := ctx.options.Styles.CodeBlock
	if rules.Indent != nil {
		indentation = *rules.Indent
	}
	if rules.Margin != nil {
		margin = *rules.Margin
	}
	iw := NewIndentWriter(w, int(indentation+margin), func(_ io.Writer) {
		_, _ = renderText(w, bs.Current().Style.StylePrimitive, " ")
	})
	defer iw.Close() //nolint:errcheck

	if rules.Chroma != nil {
		_, _ = renderText(iw, bs.Current().Style.StylePrimitive, rules.BlockPrefix)
		err := highlight.Write(iw, e.Code, e.Language, chromaFormatter, styleFor(rules.Chroma))
		if err != nil {
			return fmt.Errorf("glamour: error highlighting code: %w", err)
		}
		_, _ = renderText(iw, bs.Current().Style.StylePrimitive, rules.BlockSuffix)
		return nil
	}

	// fallback rendering
	el := &BaseElement{
		Token: e.Code,
		Style: rules.StylePrimitive,
	}

	return el.Render(iw, ctx)
}
