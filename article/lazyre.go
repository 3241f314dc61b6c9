package article

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled when first used. The label
// patterns are long and case-insensitive in several languages, and
// compiling two of them at package initialisation took 10 ms of the start
// of every byline command, most of which read no page.
type lazyRegexp struct {
	compiled func() *regexp.Regexp
}

func lazyCompile(pattern string) *lazyRegexp {
	return &lazyRegexp{compiled: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })}
}

func (r *lazyRegexp) MatchString(s string) bool { return r.compiled().MatchString(s) }
