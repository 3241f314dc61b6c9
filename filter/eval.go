package filter

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bylinehq/byline/news"
)

// Record is what an expression is evaluated on: an article, its feed and
// the time its age is counted to.
type Record struct {
	Article *news.Article
	// Feed gives the feed attributes; when nil, feedtitle is the article's
	// FeedTitle and the others are empty.
	Feed *news.Feed
	Now  time.Time
}

// DateLayout is how the date attribute reads: newsboat's "%a, %d %b %Y %T
// %z", in local time.
const DateLayout = "Mon, 02 Jan 2006 15:04:05 -0700"

// Value returns attribute a of r as the string the operators compare.
func (a Attribute) Value(r *Record) string {
	art := r.Article
	switch a {
	case Title:
		return art.Title
	case Content:
		if art.Content != "" {
			return art.Content
		}
		return art.Summary
	case Author:
		return art.Author
	case Link:
		return art.URL
	case GUID:
		return art.GUID
	case Unread:
		return yesNo(!art.Read)
	case Starred:
		return yesNo(art.Starred)
	case Flags:
		if art.Starred {
			return "s"
		}
		return ""
	case Age, UnreadCount, TotalCount:
		return strconv.FormatInt(a.count(r), 10)
	case Date:
		return art.Published.Local().Format(DateLayout)
	case FeedTitle:
		if r.Feed != nil {
			return r.Feed.Title
		}
		return art.FeedTitle
	}
	if r.Feed == nil {
		return ""
	}
	switch a {
	case FeedURL:
		return r.Feed.URL
	case FeedLink:
		return r.Feed.SiteURL
	case Tags:
		var b strings.Builder
		for _, t := range r.Feed.Tags {
			b.WriteString(t)
			b.WriteByte(' ')
		}
		return b.String()
	}
	return ""
}

// count is the value of a numeric attribute.
func (a Attribute) count(r *Record) int64 {
	switch a {
	case Age:
		return AgeDays(r.Article.Published, r.Now)
	case UnreadCount:
		if r.Feed != nil {
			return int64(r.Feed.Unread)
		}
	case TotalCount:
		if r.Feed != nil {
			return int64(r.Feed.Total)
		}
	}
	return 0
}

// Numeric reports whether a's value is always a decimal integer.
func (a Attribute) Numeric() bool { return a == Age || a == UnreadCount || a == TotalCount }

// AgeDays is the age attribute: whole days from published to now, cut
// toward zero as newsboat's integer division does.
func AgeDays(published, now time.Time) int64 {
	return (now.Unix() - published.Unix()) / 86400
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (n *And) Match(r *Record) bool { return n.Left.Match(r) && n.Right.Match(r) }
func (n *Or) Match(r *Record) bool  { return n.Left.Match(r) || n.Right.Match(r) }

// Match evaluates the comparison on r.
func (c *Comparison) Match(r *Record) bool {
	op, negated := c.Op.Negated()
	if date, ok := c.DateValue(); ok && (op == Less || op == Greater) {
		p := r.Article.Published
		return (op == Less && p.Before(date) || op == Greater && p.After(date)) != negated
	}
	return c.MatchValue(op, c.Attr.Value(r)) != negated
}

// MatchValue applies op (one that is not a negation) to an attribute value
// and the comparison's value. The cache uses it to decide comparisons on
// attributes with few values ("yes" and "no") before running any SQL.
func (c *Comparison) MatchValue(op Op, attr string) bool {
	switch op {
	case Equal:
		return attr == c.Value.Text
	case Matches:
		return c.matchRegexp(attr)
	case Less, Greater:
		a, b := ToNumber(attr), ToNumber(c.Value.Text)
		return op == Less && a < b || op == Greater && a > b
	case Between:
		lo, hi, ok := c.Bounds()
		n := ToNumber(attr)
		return ok && n >= lo && n <= hi
	case Contains:
		for _, word := range strings.Split(attr, " ") {
			if word != "" && word == c.Value.Text {
				return true
			}
		}
	}
	return false
}

// DateValue is the comparison's value as a date, when the attribute is
// date and the value reads as one ("2024-05-01", optionally with a time).
// This is byline's: newsboat compares the numeric prefix of its date
// string, which is always 0. With it, date < "2024-05-01" means published
// before that moment.
func (c *Comparison) DateValue() (time.Time, bool) {
	return c.date, c.Attr == Date && !c.date.IsZero()
}

// Bounds is the range of a between comparison, low end first. ok is false
// when the value is not two numbers joined by a colon; newsboat then
// matches nothing.
func (c *Comparison) Bounds() (lo, hi int64, ok bool) {
	var parts []string
	for _, p := range strings.Split(c.Value.Text, ":") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) < 2 {
		return 0, 0, false
	}
	lo, hi = ToNumber(parts[0]), ToNumber(parts[1])
	if lo > hi {
		lo, hi = hi, lo
	}
	return lo, hi, true
}

// ToNumber reads the number a string starts with as newsboat's
// string_to_num does (C++'s istream >> int): leading white space is
// skipped, a sign is allowed, a string without digits is 0 and a number
// beyond 32 bits is cut to the nearest 32-bit integer.
func ToNumber(s string) int64 {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] >= '\t' && s[i] <= '\r') {
		i++
	}
	negative := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		negative = s[i] == '-'
		i++
	}
	var n int64
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n <= math.MaxInt32+1 {
			n = n*10 + int64(s[i]-'0')
		}
	}
	if negative {
		n = -n
	}
	return max(math.MinInt32, min(math.MaxInt32, n))
}
