// Package filter is newsboat's filter language, the one byline uses for
// query feeds, ignore rules and anywhere else articles are selected by an
// expression:
//
//	unread = "yes" and tags # "tech"
//	( author =~ "Frank" or author =~ "John" ) and age between 0:7
//
// Parse turns an expression into an Expr; Expr.Match evaluates it on one
// article in Go, and the cache compiles the parts it can to SQL by walking
// the same tree (And, Or, Comparison). The semantics are newsboat's, read
// from its matcher and parser: every attribute is a string; = compares
// strings exactly; =~ is a case-insensitive regular expression; < > <= >=
// and between compare the numeric prefixes of both sides (0 when there is
// none); # tests for a space-separated word; "and" and "or" bind equally and
// group to the right, so "a and b or c" is "a and (b or c)"; only spaces
// separate tokens. The package does no I/O.
package filter

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Attribute is something of an article (or of its feed) an expression
// tests.
type Attribute int

// The attributes. Each one's comment says what its string value is.
const (
	Title   Attribute = iota // the article's title
	Content                  // the article's content, else its summary (HTML as the feed sent it)
	Author                   // the article's author
	Link                     // the article's link
	GUID                     // the feed's id for the article
	Unread                   // "yes" or "no"
	Starred                  // "yes" or "no" (byline's; newsboat has flags)
	// Flags is newsboat's set of flag letters. byline has one flag,
	// starred, written "s".
	Flags
	Age         // whole days since the article's date
	Date        // the article's date, "Mon, 02 Jan 2006 15:04:05 -0700" in local time
	FeedTitle   // the feed's title as byline shows it
	FeedURL     // the feed's URL (newsboat: rssurl)
	FeedLink    // the feed's web site
	Tags        // the feed's tags, each followed by a space
	UnreadCount // unread articles in the feed
	TotalCount  // articles in the feed
)

// attributeNames maps every name an expression may use to its attribute;
// newsboat's names are all here, so its expressions read unchanged.
var attributeNames = map[string]Attribute{
	"title": Title, "content": Content, "author": Author, "link": Link, "guid": GUID,
	"unread": Unread, "starred": Starred, "flags": Flags, "age": Age, "date": Date,
	"feedtitle": FeedTitle, "feedurl": FeedURL, "rssurl": FeedURL, "feedlink": FeedLink,
	"tags": Tags, "unread_count": UnreadCount, "total_count": TotalCount,
}

// knownAttributes is the list an error about an unknown name offers.
const knownAttributes = "title, content, author, link, guid, unread, starred, flags, age, date, " +
	"feedtitle, feedurl (rssurl), feedlink, tags, unread_count, total_count"

func (a Attribute) String() string {
	for name, attr := range attributeNames {
		if attr == a && name != "rssurl" {
			return name
		}
	}
	return "attribute(" + strconv.Itoa(int(a)) + ")"
}

// Op is a comparison operator.
type Op int

// The operators, as newsboat spells them.
const (
	Equal        Op = iota // = or ==
	NotEqual               // !=
	Matches                // =~
	NotMatches             // !~
	Less                   // <
	Greater                // >
	LessEqual              // <=
	GreaterEqual           // >=
	Between                // between
	Contains               // #
	NotContains            // !#
)

// operators in the order the parser tries them: a longer operator before
// its prefix.
var operators = []struct {
	text string
	op   Op
}{
	{"=~", Matches}, {"==", Equal}, {"=", Equal}, {"!~", NotMatches}, {"!=", NotEqual},
	{"<=", LessEqual}, {">=", GreaterEqual}, {"<", Less}, {">", Greater},
	{"between", Between}, {"#", Contains}, {"!#", NotContains},
}

func (o Op) String() string {
	for _, op := range operators {
		if op.op == o && op.text != "==" {
			return op.text
		}
	}
	return "op(" + strconv.Itoa(int(o)) + ")"
}

// Negated reports whether o is the negation of another operator, and which.
// newsboat defines != !~ !# <= >= as exactly that: "a <= b" is "not a > b".
func (o Op) Negated() (Op, bool) {
	switch o {
	case NotEqual:
		return Equal, true
	case NotMatches:
		return Matches, true
	case NotContains:
		return Contains, true
	case LessEqual:
		return Greater, true
	case GreaterEqual:
		return Less, true
	}
	return o, false
}

// ValueKind says how a value was written.
type ValueKind int

const (
	// String is a quoted string.
	String ValueKind = iota
	// Number is an integer such as 42 or -3.
	Number
	// Range is two integers joined by a colon, such as 0:10.
	Range
)

// Value is the right-hand side of a comparison.
type Value struct {
	Kind ValueKind
	// Text is the value as a string: a quoted string with its escapes
	// \" and \\ decoded, or a number or range as written.
	Text string
	// Raw is the text between the quotes with its escapes as written; it
	// is what a regular expression is compiled from, as in newsboat, where
	// \" and \\ are the regular expression's own escapes. For numbers and
	// ranges it equals Text.
	Raw string
}

// Node is a part of a parsed expression: *And, *Or or *Comparison.
type Node interface {
	// Match evaluates the node on r.
	Match(r *Record) bool
	// String writes the node back as an expression.
	String() string
}

// And matches when both sides do.
type And struct{ Left, Right Node }

// Or matches when either side does.
type Or struct{ Left, Right Node }

// Comparison tests one attribute against a value.
type Comparison struct {
	Attr  Attribute
	Op    Op
	Value Value
	// Column is where the comparison starts in the expression, counted
	// in characters from 1.
	Column int
	// re is Value.Raw compiled, for Matches and NotMatches.
	re *regexp.Regexp
	// literals are what re needs, see Literals; literal is set when re
	// is nothing but one of them, so that a plain word is matched without
	// the regular expression engine, which is ten times slower at it.
	literals []string
	literal  bool
	// date is the value read as a date, for the ordering operators on
	// Date (a byline extension; see compareDate).
	date time.Time
}

// Expr is a parsed expression.
type Expr struct {
	Root Node
	src  string
	uses uint64 // bit per Attribute
}

// Uses reports whether the expression tests attribute a.
func (e *Expr) Uses(a Attribute) bool { return e.uses&(1<<a) != 0 }

// String is the expression as it was written.
func (e *Expr) String() string { return e.src }

// Match evaluates the expression on r.
func (e *Expr) Match(r *Record) bool { return e.Root.Match(r) }

// Limits on an expression, so that one from a config file or a hostile
// feed list cannot exhaust the stack or build an SQL statement SQLite
// refuses (its expression depth limit is 1000).
const (
	maxLength      = 16 << 10
	maxComparisons = 200
	maxDepth       = 50
)

// SyntaxError is a mistake in an expression.
type SyntaxError struct {
	Column int // in characters, from 1
	Msg    string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("column %d: %s", e.Column, e.Msg) }

// Parse reads an expression.
func Parse(src string) (*Expr, error) {
	if len(src) > maxLength {
		return nil, &SyntaxError{Column: 1, Msg: fmt.Sprintf("the expression is longer than %d bytes", maxLength)}
	}
	if !utf8.ValidString(src) {
		return nil, &SyntaxError{Column: utf8.RuneCountInString(src[:invalidUTF8(src)]) + 1, Msg: "not valid UTF-8"}
	}
	p := &parser{src: src}
	p.spaces()
	root, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	p.spaces()
	if p.pos < len(src) {
		return nil, p.errorf(`expected "and", "or" or the end of the expression, found %s`, p.found())
	}
	return &Expr{Root: root, src: src, uses: p.uses}, nil
}

// MustParse is Parse for expressions written in the program; it panics on
// a mistake.
func MustParse(src string) *Expr {
	e, err := Parse(src)
	if err != nil {
		panic(fmt.Sprintf("filter.MustParse(%q): %v", src, err))
	}
	return e
}

func invalidUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}

type parser struct {
	src         string
	pos         int // byte offset
	comparisons int
	uses        uint64
}

func (p *parser) column(pos int) int { return utf8.RuneCountInString(p.src[:pos]) + 1 }

func (p *parser) errorf(format string, args ...any) error {
	return p.errorAt(p.pos, format, args...)
}

func (p *parser) errorAt(pos int, format string, args ...any) error {
	return &SyntaxError{Column: p.column(pos), Msg: fmt.Sprintf(format, args...)}
}

// found describes what is at the current position, for an error.
func (p *parser) found() string {
	if p.pos >= len(p.src) {
		return "the end"
	}
	rest := p.src[p.pos:]
	if end := strings.IndexByte(rest, ' '); end > 0 {
		rest = rest[:end]
	}
	if utf8.RuneCountInString(rest) > 20 {
		rest = string([]rune(rest)[:20]) + "…"
	}
	return strconv.Quote(rest)
}

// spaces skips spaces; newsboat treats no other character as a separator.
func (p *parser) spaces() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
}

// expression := term [ ("and" | "or") expression ]
//
// The right side is a whole expression, so "and" and "or" group to the
// right with equal precedence, as in newsboat.
func (p *parser) expression(depth int) (Node, error) {
	if depth > maxDepth {
		return nil, p.errorf("parentheses nested deeper than %d", maxDepth)
	}
	left, err := p.term(depth)
	if err != nil {
		return nil, err
	}
	save := p.pos
	p.spaces()
	var logical string
	for _, word := range []string{"and", "or"} {
		if strings.HasPrefix(p.src[p.pos:], word) && p.spaceOrParenAfter(p.pos+len(word)) {
			logical = word
			break
		}
	}
	if logical == "" {
		p.pos = save
		return left, nil
	}
	p.pos += len(logical)
	p.spaces()
	right, err := p.expression(depth)
	if err != nil {
		return nil, err
	}
	if logical == "and" {
		return &And{left, right}, nil
	}
	return &Or{left, right}, nil
}

// spaceOrParenAfter reports whether a logical operator ending at pos is
// followed by a space or a parenthesis: "a=1 andy=0" is not an "and". One
// at the very end is taken as an operator, so the error says what is
// missing after it.
func (p *parser) spaceOrParenAfter(pos int) bool {
	return pos == len(p.src) || p.src[pos] == ' ' || p.src[pos] == '('
}

// term := "(" expression ")" | comparison
func (p *parser) term(depth int) (Node, error) {
	if p.pos < len(p.src) && p.src[p.pos] == '(' {
		open := p.pos
		p.pos++
		p.spaces()
		inner, err := p.expression(depth + 1)
		if err != nil {
			return nil, err
		}
		p.spaces()
		if p.pos >= len(p.src) || p.src[p.pos] != ')' {
			if p.pos >= len(p.src) {
				return nil, p.errorAt(open, "this parenthesis is never closed")
			}
			return nil, p.errorf(`expected "and", "or" or ")", found %s`, p.found())
		}
		p.pos++
		return inner, nil
	}
	return p.comparison()
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

// comparison := attribute operator value
func (p *parser) comparison() (Node, error) {
	start := p.pos
	for p.pos < len(p.src) && isNameByte(p.src[p.pos]) {
		p.pos++
	}
	name := p.src[start:p.pos]
	if name == "" {
		return nil, p.errorf("expected an attribute name such as title, found %s", p.found())
	}
	attr, ok := attributeNames[strings.ToLower(name)]
	if !ok || name != strings.ToLower(name) {
		p.pos = start
		return nil, p.errorf("unknown attribute %q (byline knows %s)", name, knownAttributes)
	}
	p.comparisons++
	if p.comparisons > maxComparisons {
		return nil, p.errorAt(start, "more than %d comparisons", maxComparisons)
	}
	p.spaces()
	op, ok := p.operator()
	if !ok {
		return nil, p.errorf("expected an operator (=, !=, =~, !~, <, >, <=, >=, between, #, !#), found %s", p.found())
	}
	p.spaces()
	valueAt := p.pos
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	c := &Comparison{Attr: attr, Op: op, Value: v, Column: p.column(start)}
	if op == Matches || op == NotMatches {
		if c.re, err = compileRegexp(v.Raw); err != nil {
			return nil, p.errorAt(valueAt, "bad regular expression: %v", err)
		}
		c.literals, c.literal = requiredLiterals(c.re)
	}
	if attr == Date {
		c.date, _ = parseDate(v.Text)
	}
	p.uses |= 1 << attr
	return c, nil
}

func (p *parser) operator() (Op, bool) {
	for _, o := range operators {
		if strings.HasPrefix(p.src[p.pos:], o.text) {
			p.pos += len(o.text)
			return o.op, true
		}
	}
	return 0, false
}

// value := quoted-string | number ":" number | number
func (p *parser) value() (Value, error) {
	if p.pos < len(p.src) && p.src[p.pos] == '"' {
		return p.quoted()
	}
	start := p.pos
	if !p.number() {
		p.pos = start
		return Value{}, p.errorf("expected a value: a quoted string, a number or a range such as 0:10, found %s", p.found())
	}
	kind := Number
	if afterFirst := p.pos; p.pos < len(p.src) && p.src[p.pos] == ':' {
		p.pos++
		if p.number() {
			kind = Range
		} else {
			p.pos = afterFirst
		}
	}
	text := p.src[start:p.pos]
	return Value{Kind: kind, Text: text, Raw: text}, nil
}

// number := ["-"] digit {digit}
func (p *parser) number() bool {
	if p.pos < len(p.src) && p.src[p.pos] == '-' {
		p.pos++
	}
	digits := p.pos
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	return p.pos > digits
}

// quoted reads a string in double quotes; a backslash escapes the next
// character. \" and \\ decode to the character; any other escape is kept
// as written, so "C:\temp" means what it says.
func (p *parser) quoted() (Value, error) {
	open := p.pos
	p.pos++
	start := p.pos
	var text strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '"':
			raw := p.src[start:p.pos]
			p.pos++
			return Value{Kind: String, Text: text.String(), Raw: raw}, nil
		case c == '\\' && p.pos+1 < len(p.src):
			next := p.src[p.pos+1]
			if next != '"' && next != '\\' {
				text.WriteByte('\\')
			}
			text.WriteByte(next)
			p.pos += 2
		default:
			text.WriteByte(c)
			p.pos++
		}
	}
	return Value{}, p.errorAt(open, "this string is never closed (a \" is missing)")
}

// compileRegexp compiles newsboat's POSIX extended regular expression,
// matched ignoring case, as a Go regular expression. The two agree on
// everything POSIX defines; GNU's word boundaries \< and \> become \b.
func compileRegexp(raw string) (*regexp.Regexp, error) {
	translated := strings.NewReplacer(`\\`, `\\`, `\<`, `\b`, `\>`, `\b`).Replace(raw)
	re, err := regexp.Compile("(?i)" + translated)
	var se *syntax.Error
	if errors.As(err, &se) {
		// Without Go's "error parsing regexp" and the (?i) it added.
		return nil, fmt.Errorf("%s in %q", se.Code, strings.TrimPrefix(se.Expr, "(?i)"))
	}
	return re, err
}

// parseDate reads the dates byline accepts beside the ordering operators
// on date: "2024-05-01", optionally with a time, in local time.
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (n *And) String() string { return group(n.Left) + " and " + group(n.Right) }
func (n *Or) String() string  { return group(n.Left) + " or " + group(n.Right) }

// group parenthesizes a logical node, so String reads back the same tree.
func group(n Node) string {
	if _, ok := n.(*Comparison); ok {
		return n.String()
	}
	return "(" + n.String() + ")"
}

func (c *Comparison) String() string {
	v := c.Value.Raw
	if c.Value.Kind == String {
		v = `"` + v + `"`
	}
	return c.Attr.String() + " " + c.Op.String() + " " + v
}
