package filter

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// Literals returns words, at least one of which is in any ASCII text the
// comparison's regular expression matches, ignoring ASCII case; ok is
// false when there are none to be had (or they are not ASCII). The cache
// uses them to let SQL's LIKE pass over most rows before Go runs the
// expression on the rest.
func (c *Comparison) Literals() (words []string, ok bool) {
	return c.literals, len(c.literals) > 0
}

// requiredLiterals finds, in a compiled expression, words of which any
// match contains one: a literal, a concatenation holding one (its longest
// is taken), or an alternation whose every branch has them. only is set
// when the expression is exactly one literal.
func requiredLiterals(re *regexp.Regexp) (words []string, only bool) {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil, false
	}
	tree = tree.Simplify()
	words = literalsOf(tree)
	for _, w := range words {
		if w == "" || !isASCII(w) {
			return nil, false
		}
	}
	return words, tree.Op == syntax.OpLiteral && len(words) == 1
}

func literalsOf(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{strings.ToLower(string(re.Rune))}
	case syntax.OpCapture, syntax.OpPlus:
		return literalsOf(re.Sub[0])
	case syntax.OpConcat:
		var best string
		for _, sub := range re.Sub {
			if sub.Op == syntax.OpLiteral && len(sub.Rune) > len(best) {
				best = strings.ToLower(string(sub.Rune))
			}
		}
		if best != "" {
			return []string{best}
		}
		for _, sub := range re.Sub {
			if words := literalsOf(sub); len(words) > 0 {
				return words
			}
		}
	case syntax.OpAlternate:
		var words []string
		for _, sub := range re.Sub {
			w := literalsOf(sub)
			if len(w) == 0 {
				return nil
			}
			words = append(words, w...)
		}
		return words
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// matchRegexp is re.MatchString, short-cut when the expression is one
// literal and s is ASCII: then ignoring case is ASCII's, and a search for
// the lower-cased word in the lower-cased text gives the same answer.
func (c *Comparison) matchRegexp(s string) bool {
	if c.literal && isASCII(s) {
		return containsLower(s, c.literals[0])
	}
	return c.re.MatchString(s)
}

// containsLower reports whether s, lower-cased, contains word, which is
// lower case; s and word are ASCII.
func containsLower(s, word string) bool {
	n := len(word)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for j < n && lowerASCII(s[i+j]) == word[j] {
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
