package config

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/bylinehq/byline/filter"
)

// The [[feed]] and [[ignore]] tables of config.toml:
//
//	[[feed]]
//	url = "https://example.com/feed.xml"   # as in the urls file
//	reload = "15m"
//	full-text = true
//	keep-days = 7
//	max-items = 200
//	user-agent = "Mozilla/5.0"
//	browser = "firefox %u"
//
//	[[ignore]]
//	feed = "*"                      # a feed's URL or title, or * for all
//	match = 'title =~ "Sponsored"'  # the filter language
//
// [[feed]] says everything [feeds."URL"] says (that older form still
// works, with the same keys); both fill Settings.Feeds.

// maxItemsLimit bounds max-items: a feed that keeps more than a million
// articles keeps them all.
const maxItemsLimit = 1_000_000

// FeedPolicy is what applies to one feed: its own settings where it has
// them, the global ones elsewhere.
type FeedPolicy struct {
	FullText FullText
	// Prefetch fetches and keeps the pages of the feed's new articles
	// during a refresh: the feed's own full-text is "always".
	Prefetch  bool
	Reload    time.Duration // 0: no reload of its own
	KeepDays  int           // 0: keep everything
	MaxItems  int           // 0: no limit
	UserAgent string        // empty: the fetcher's
	Browser   string        // empty: $BROWSER, then the system's opener
}

// ForFeed returns the policy of the feed at url (as in the urls file).
func (s Settings) ForFeed(url string) FeedPolicy {
	own := s.Feeds[url]
	p := FeedPolicy{
		FullText:  s.FullTextFor(url),
		Prefetch:  own.FullText == FullTextAlways,
		Reload:    s.ReloadEvery,
		KeepDays:  s.KeepDays,
		MaxItems:  s.MaxItems,
		UserAgent: s.UserAgent,
		Browser:   s.Browser,
	}
	if own.Reload != nil {
		p.Reload = *own.Reload
	}
	if own.KeepDays != nil {
		p.KeepDays = *own.KeepDays
	}
	if own.MaxItems != nil {
		p.MaxItems = *own.MaxItems
	}
	if own.UserAgent != "" {
		p.UserAgent = own.UserAgent
	}
	if own.Browser != "" {
		p.Browser = own.Browser
	}
	return p
}

// Applies reports whether the rule is for the feed with this URL and
// title: "*" is for every feed, else the URL, or the title ignoring case.
func (r IgnoreRule) Applies(url, title string) bool {
	return r.Feed == "*" || r.Feed == url || (title != "" && strings.EqualFold(r.Feed, title))
}

func (r IgnoreRule) check() error {
	if strings.TrimSpace(r.Feed) == "" {
		return errors.New(`feed: must be a feed's URL or title, or "*" for every feed`)
	}
	if err := printable(r.Feed); err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	if _, err := filter.Parse(r.Match); err != nil {
		return fmt.Errorf("match: %w", err)
	}
	return nil
}

// toFullText reads full-text: one of the mode names, or true ("always")
// and false ("never").
func toFullText(raw any) (FullText, error) {
	if b, ok := raw.(bool); ok {
		if b {
			return FullTextAlways, nil
		}
		return FullTextNever, nil
	}
	return toString[FullText](raw)
}

// optional makes a conversion store a pointer, for the per-feed settings
// whose zero value means something (keep-days = 0 keeps everything).
func optional[V any](convert func(any) (V, error)) func(any) (*V, error) {
	return func(raw any) (*V, error) {
		v, err := convert(raw)
		if err != nil {
			return nil, err
		}
		return &v, nil
	}
}

func ifSet[V any](check func(V) error) func(*V) error {
	return func(v *V) error {
		if v == nil {
			return nil
		}
		return check(*v)
	}
}

// checkReload keeps automatic refreshes polite: off, or at most once a
// minute.
func checkReload(d time.Duration) error {
	if d != 0 && (d < time.Minute || d > 30*24*time.Hour) {
		return fmt.Errorf(`must be "0" (never) or between 1m and 720h, got %s`, d)
	}
	return nil
}

// toCommand reads a program and its arguments: a list of strings, or one
// string taken as the program alone (never split, never given to a shell).
func toCommand(raw any) ([]string, error) {
	if s, ok := raw.(string); ok {
		return []string{s}, nil
	}
	items, ok := raw.([]any)
	if !ok {
		return nil, typeError(`a command as a list, such as ["notify-send", "byline"]`, raw)
	}
	argv := make([]string, 0, len(items))
	for _, item := range items {
		s, ok := item.(string)
		if !ok {
			return nil, fmt.Errorf("must hold only strings, got %s", describeTOML(item))
		}
		argv = append(argv, s)
	}
	return argv, nil
}

func checkCommand(argv []string) error {
	if len(argv) > 0 && strings.TrimSpace(argv[0]) == "" {
		return errors.New("the program (the first string) must not be empty")
	}
	for _, arg := range argv {
		if err := printable(arg); err != nil {
			return err
		}
	}
	return nil
}

// arrayOfTables reads the [[feed]] or [[ignore]] tables. The TOML decoder
// keeps one position per dotted key, which for an array of tables is its
// last table's, so a key's line is found in the file itself: the first
// line that sets it after its table's header.
func (d *settingsDecoder) arrayOfTables(name string, prim toml.Primitive) error {
	var tables []map[string]toml.Primitive
	if err := d.md.PrimitiveDecode(prim, &tables); err != nil {
		return d.value(toml.Key{name}, prim, func(raw any) error {
			return fmt.Errorf("must be [[%s]] tables, got %s", name, describeTOML(raw))
		})
	}
	headers := tableHeaderLines(d.data, name)
	for i, t := range tables {
		at := func(key string) int { return keyLine(d.data, headers, i, key) }
		var err error
		switch name {
		case "feed":
			err = d.feedTable(t, at)
		case "site":
			err = d.siteTable(t, at)
		default:
			err = d.ignoreTable(t, at)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// tableValue decodes the value of key in an array's table through f,
// reporting a mistake at line.
func (d *settingsDecoder) tableValue(path string, line int, prim toml.Primitive, f func(raw any) error) error {
	if err := d.md.PrimitiveDecode(prim, valueDecoder(f)); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			err = errors.New(pe.Message)
		}
		return &SettingsError{File: d.file, Line: line, Key: path, Err: fmt.Errorf("%s: %w", path, err)}
	}
	return nil
}

func (d *settingsDecoder) unknownInTable(name, key string, line int, known []string) error {
	msg := fmt.Sprintf("unknown key %q in [[%s]]", key, name)
	if guess := closest(key, known); guess != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", guess)
	}
	return &SettingsError{File: d.file, Line: line, Key: name + "." + key, Err: errors.New(msg)}
}

func (d *settingsDecoder) feedTable(t map[string]toml.Primitive, at func(string) int) error {
	urlPrim, ok := t["url"]
	if !ok {
		return &SettingsError{File: d.file, Line: at(""), Key: "feed", Err: errors.New(`[[feed]] needs url = "…", the feed's URL as in the urls file`)}
	}
	var url string
	err := d.tableValue("feed.url", at("url"), urlPrim, func(raw any) error {
		var err error
		if url, err = toString[string](raw); err == nil {
			err = checkURL(url)
		}
		return err
	})
	if err != nil {
		return err
	}
	if d.s.Feeds == nil {
		d.s.Feeds = make(map[string]FeedSettings)
	}
	perFeed := d.s.Feeds[url]
	known := []string{"url"}
	for _, st := range feedSettingsTable {
		known = append(known, st.key)
	}
	for _, key := range sortedByLine(t, at) {
		if key == "url" {
			continue
		}
		st, ok := lookup(feedSettingsTable, key)
		if !ok {
			return d.unknownInTable("feed", key, at(key), known)
		}
		if err := d.tableValue("feed."+key, at(key), t[key], func(raw any) error { return decodeChecked(st, &perFeed, raw) }); err != nil {
			return err
		}
	}
	d.s.Feeds[url] = perFeed
	return nil
}

func (d *settingsDecoder) ignoreTable(t map[string]toml.Primitive, at func(string) int) error {
	rule := IgnoreRule{Feed: "*"}
	for _, key := range sortedByLine(t, at) {
		var dst *string
		switch key {
		case "feed":
			dst = &rule.Feed
		case "match":
			dst = &rule.Match
		default:
			return d.unknownInTable("ignore", key, at(key), []string{"feed", "match"})
		}
		err := d.tableValue("ignore."+key, at(key), t[key], func(raw any) error {
			s, err := toString[string](raw)
			*dst = s
			return err
		})
		if err != nil {
			return err
		}
	}
	if _, ok := t["match"]; !ok {
		return &SettingsError{File: d.file, Line: at(""), Key: "ignore", Err: errors.New(`[[ignore]] needs match = '…', a filter expression such as 'title =~ "Sponsored"'`)}
	}
	if err := rule.check(); err != nil {
		key := "match"
		if strings.HasPrefix(err.Error(), "feed:") {
			key = "feed"
		}
		return &SettingsError{File: d.file, Line: at(key), Key: "ignore." + key, Err: fmt.Errorf("ignore.%w", err)}
	}
	d.s.Ignore = append(d.s.Ignore, rule)
	return nil
}

// sortedByLine lists a table's keys in the order the file has them, so
// the first mistake reported is the first in the file.
func sortedByLine(t map[string]toml.Primitive, at func(string) int) []string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if la, lb := at(a), at(b); la != lb {
			return la - lb
		}
		return strings.Compare(a, b)
	})
	return keys
}

var arrayHeader = regexp.MustCompile(`^\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]`)

// tableHeaderLines lists the lines (from 1) of the [[name]] headers, and
// of every other header after each, so a table's lines run from its header
// to the next header of any kind.
func tableHeaderLines(data, name string) (starts []int) {
	for i, line := range strings.Split(data, "\n") {
		if m := arrayHeader.FindStringSubmatch(line); m != nil && m[1] == name {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// keyLine finds the line of key in the i-th [[…]] table whose header
// lines are headers; "" (or a key it cannot find) gives the header's line.
func keyLine(data string, headers []int, i int, key string) int {
	if i >= len(headers) {
		return 0
	}
	lines := strings.Split(data, "\n")
	set := regexp.MustCompile(`^\s*(` + regexp.QuoteMeta(key) + `|"` + regexp.QuoteMeta(key) + `"|'` + regexp.QuoteMeta(key) + `')\s*=`)
	// headers[i] counts from 1, so it is the index of the line after it.
	for n := headers[i]; n < len(lines); n++ {
		if strings.HasPrefix(strings.TrimSpace(lines[n]), "[") {
			break
		}
		if key != "" && set.MatchString(lines[n]) {
			return n + 1
		}
	}
	return headers[i]
}
