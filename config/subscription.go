package config

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bylinehq/byline/filter"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/sanitize"
)

// The feed list and OPML files are edited by people and written by other
// programs, so every subscription read or written here goes through
// normalizeSubscription. That gives one canonical form, which is what makes
// round trips (urls → OPML → urls) lossless:
//
//   - URL is an http(s) URL with a host, or byline:NAME for a built-in feed;
//   - Title and each tag are valid UTF-8 without control characters or
//     surrounding spaces;
//   - no tag is empty, starts with "~" (newsboat reads that as a title) or
//     appears twice; Tags is nil rather than empty.

// Errors for the URL schemes newsboat supports and byline deliberately does
// not: they run programs named in the feed list.
var (
	errExecURL   = errors.New("`exec:` feeds are not supported (byline never runs commands from the feed list)")
	errFilterURL = errors.New("`filter:` feeds are not supported (byline never runs commands from the feed list)")
	errQueryURL  = errors.New("a query: feed is not a URL")
)

// checkURL says why raw cannot be subscribed to, or returns nil.
func checkURL(raw string) error {
	switch {
	case raw == "":
		return errors.New("empty URL")
	case hasPrefixFold(raw, "exec:"):
		return errExecURL
	case hasPrefixFold(raw, "filter:"):
		return errFilterURL
	case hasPrefixFold(raw, "query:"):
		return errQueryURL
	case strings.IndexFunc(raw, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return fmt.Errorf("URL %q contains spaces or control characters", raw)
	case !utf8.ValidString(raw):
		return fmt.Errorf("URL %q is not valid UTF-8", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return fmt.Errorf("URL %q has no host", raw)
		}
		return nil
	case "byline":
		if u.Opaque == "" {
			return fmt.Errorf("%q names no built-in feed (try byline:welcome)", raw)
		}
		return nil
	case "":
		return fmt.Errorf("%q is not a URL (it needs http:// or https://)", raw)
	default:
		return fmt.Errorf("unsupported URL scheme %q in %q (only http, https and byline)", u.Scheme, raw)
	}
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// normalizeSubscription returns s in canonical form, or an error when its
// URL cannot be subscribed to. Everything else is repaired rather than
// refused: a stray control character should not cost the user a feed.
func normalizeSubscription(s news.Subscription) (news.Subscription, error) {
	out := news.Subscription{URL: strings.TrimSpace(s.URL), Title: cleanText(s.Title)}
	if s.Query != "" || strings.HasPrefix(out.URL, queryPrefix) {
		if err := checkQueryFeed(&out, s.Query); err != nil {
			return news.Subscription{}, err
		}
	} else if err := checkURL(out.URL); err != nil {
		return news.Subscription{}, err
	}
	for _, tag := range s.Tags {
		tag = strings.TrimLeftFunc(cleanText(tag), func(r rune) bool { return r == '~' || unicode.IsSpace(r) })
		if tag != "" && !slices.Contains(out.Tags, tag) {
			out.Tags = append(out.Tags, tag)
		}
	}
	return out, nil
}

// checkQueryFeed completes out as the query feed of query: the name is
// its title and the expression must parse. A feed list written by byline
// gets the URL query:NAME:EXPRESSION; one read keeps the token it had.
func checkQueryFeed(out *news.Subscription, query string) error {
	if out.Title == "" {
		return errors.New("a query feed needs a name: query:NAME:EXPRESSION")
	}
	if strings.TrimSpace(query) == "" {
		return fmt.Errorf("query feed %q has no filter expression", out.Title)
	}
	if _, err := filter.Parse(query); err != nil {
		return fmt.Errorf("query feed %q: filter expression: %w", out.Title, err)
	}
	out.Query = query
	if name, q, ok := cutQuery(out.URL); !ok || name == "" || q != query {
		out.URL = queryPrefix + out.Title + ":" + query
	}
	return nil
}

// cleanText makes s valid UTF-8, turns control characters (tabs, newlines,
// escape sequences) into spaces, leaves out what sanitize removes besides
// (bidi embeddings, overrides and isolates, which could make a title read
// backwards) and trims it.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	return strings.TrimSpace(sanitize.Text(s))
}
