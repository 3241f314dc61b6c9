// Package highlight colours code blocks with chroma, building its lexers
// only when a code block first needs one.
//
// chroma's own lexers and styles packages parse every one of their 240
// lexer and 70 style definitions when the program starts: 27 ms of every
// byline command, a listing of 1,000 feeds included, before main runs.
// This package embeds the definitions of the languages articles show code
// in (lexers/*.xml, copied from chroma v2.14.0, and its Go lexer, which
// chroma writes in Go), registers them on first use, and takes its style
// from the caller, so nothing of chroma runs at start-up but a few
// microseconds of its core. TestNoChromaRegistries keeps it that way.
package highlight

import (
	"embed"
	"io"
	"io/fs"
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"
)

//go:embed lexers/*.xml
var embedded embed.FS

// registry holds every embedded lexer; it is built on first use.
var registry = sync.OnceValue(func() *chroma.LexerRegistry {
	reg := chroma.NewLexerRegistry()
	paths, err := fs.Glob(embedded, "lexers/*.xml")
	if err != nil {
		panic(err) // only for a malformed pattern, which is a constant
	}
	for _, path := range paths {
		reg.Register(chroma.MustNewXMLLexer(embedded, path))
	}
	registerGo(reg)
	return reg
})

// Lexer returns the lexer for a language name, alias or file extension,
// or nil if there is none.
func Lexer(name string) chroma.Lexer { return registry().Get(name) }

// fallback is the lexer of code in no language byline knows: plain text.
var fallback = chroma.MustNewLexer(&chroma.Config{Name: "fallback", Filenames: []string{"*"}, Priority: -1},
	func() chroma.Rules {
		return chroma.Rules{"root": {{Pattern: `.+`, Type: chroma.Text}, {Pattern: `\n`, Type: chroma.Text}}}
	})

// Write writes source in language (a name or alias; "" to guess from the
// code) highlighted with style, in formatter's terms ("terminal256",
// …), as chroma's quick.Highlight does.
func Write(w io.Writer, source, language, formatter string, style *chroma.Style) error {
	l := Lexer(language)
	if l == nil {
		l = registry().Analyse(source)
	}
	if l == nil {
		l = fallback
	}
	f := formatters.Get(formatter)
	if f == nil {
		f = formatters.Fallback
	}
	it, err := chroma.Coalesce(l).Tokenise(nil, source)
	if err != nil {
		return err
	}
	return f.Format(w, style, it)
}
