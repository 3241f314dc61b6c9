package config

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"

	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/picture"
)

// FullText says when byline fetches an article's web page and extracts its
// text instead of showing what the feed carried.
type FullText string

const (
	// FullTextAuto extracts the page when the feed's own content looks like
	// a summary (short, or ending in a "read more" link).
	FullTextAuto FullText = "auto"
	// FullTextAlways extracts the page for every article.
	FullTextAlways FullText = "always"
	// FullTextNever shows the feed's content as it is.
	FullTextNever FullText = "never"
)

// Theme picks the colours of the TUI.
type Theme string

const (
	// ThemeAuto asks the terminal whether its background is dark.
	ThemeAuto Theme = "auto"
	// ThemeDark is for dark backgrounds.
	ThemeDark Theme = "dark"
	// ThemeLight is for light backgrounds.
	ThemeLight Theme = "light"
	// ThemePlain uses no colours, only bold, underline and reverse.
	ThemePlain Theme = "plain"
)

// Settings are the contents of config.toml. Each field's comment names its
// key in the file; Default gives every default.
type Settings struct {
	// Jobs (jobs) is how many feeds are fetched at once. 1 to 256.
	Jobs int
	// PerHost (per-host) is how many requests go to one host at once, so
	// that many feeds on one site do not hammer it. 1 to 64.
	PerHost int
	// ConnectTimeout (connect-timeout) bounds connecting to a server,
	// including the TLS handshake. A duration such as "10s"; 100ms to 10m.
	ConnectTimeout time.Duration
	// Timeout (timeout) bounds fetching one feed from start to end. A
	// duration such as "30s"; 1s to 10m.
	Timeout time.Duration
	// MaxBody (max-body) is the most bytes read from one response after
	// decompression; a larger feed fails instead of filling memory. A size
	// such as "20MiB" (units B, KB, MB, GB and KiB, MiB, GiB) or a plain
	// number of bytes; 1KiB to 1GiB.
	MaxBody int64
	// MaxRedirects (max-redirects) is how many redirects one fetch follows.
	// 1 to 20. (Not 0: feed.Options reads a zero as "use the default".)
	MaxRedirects int
	// UserAgent (user-agent) is the User-Agent header. Empty means
	// "byline/VERSION", filled in by the caller, which knows the version.
	UserAgent string
	// KeepDays (keep-days) is how many days read articles stay in the
	// cache, counted from their date; 0 keeps them forever. Unread and
	// starred articles are always kept. 0 to 36500.
	KeepDays int
	// Browser (browser) is the command that opens links. Empty means
	// $BROWSER, then the operating system's opener (xdg-open, open, start).
	Browser string
	// RefreshOnStart (refresh-on-start) refreshes every feed when the TUI
	// starts.
	RefreshOnStart bool
	// Prefetch (prefetch) fetches and extracts the full text of new
	// articles during a refresh, so they can be read offline.
	Prefetch bool
	// FullText (full-text) is "auto", "always" or "never"; see FullText.
	// A feed's own [feeds."URL"] table can override it.
	FullText FullText
	// MarkReadOnOpen (mark-read-on-open) marks an article read when it is
	// opened.
	MarkReadOnOpen bool
	// Theme (theme) is "auto", "dark", "light" or "plain"; see Theme.
	Theme Theme
	// Images (images) is how stories' pictures are drawn: "auto" (ask the
	// terminal), "kitty", "sixel", "iterm", "halfblocks" or "none" (the
	// "[image: alt] [n]" line alone, and no pictures fetched).
	Images picture.Mode
	// Keys ([keys]) rebinds actions: each entry maps an action name to the
	// keys that trigger it, replacing that action's default keys; an empty
	// list unbinds it. The ui package owns the action names and the key
	// syntax and validates both.
	Keys map[string][]string
	// MaxItems (max-items) is how many articles of one feed are kept, the
	// newest; older ones are dropped as retention drops them (never a
	// starred one). 0 keeps them all. 0 to 1,000,000.
	MaxItems int
	// ReloadEvery (reload-every) refreshes every feed in the background
	// this often while the reader runs; 0 never. A feed's own reload
	// overrides it. 0, or 1m to 30 days.
	ReloadEvery time.Duration
	// Notify (notify) is "" (none) or "osc": after a refresh in the reader
	// that brought new articles, a desktop notification through the
	// terminal (OSC 9 and OSC 777) says how many.
	Notify Notify
	// NotifyCommand (notify-command) is a program and its arguments, run
	// without a shell after such a refresh with the summary ("12 new in 4
	// feeds") as one more argument. Empty runs nothing.
	NotifyCommand []string
	// SaveDir (save-dir) is the folder the reader saves stories to as
	// Markdown; a leading ~ is the home directory.
	SaveDir string
	// PipeCommand (pipe-command) is a program and its arguments, run
	// without a shell, that the reader pipes a story into (a header of
	// title, URL, feed and date, then the text). Empty means | says so.
	PipeCommand []string
	// Ignore ([[ignore]] tables) are newsboat's ignore-article rules:
	// articles they match are never stored.
	Ignore []IgnoreRule
	// Sites ([[site]] tables, and the same tables in sites.toml beside
	// config.toml) tell the extractor where a site keeps its stories.
	Sites []Site
	// Feeds holds per-feed overrides, keyed by the feed URL exactly as it
	// appears in the urls file: [[feed]] tables (url = "…") and the older
	// [feeds."URL"] tables both fill it.
	Feeds map[string]FeedSettings
	// Accounts ([[account]]) are the sync servers; see Account.
	Accounts []Account
}

// Notify picks how the reader tells the desktop about new articles.
type Notify string

const (
	// NotifyNone sends nothing.
	NotifyNone Notify = ""
	// NotifyOSC writes OSC 9 and OSC 777 notifications to the terminal.
	NotifyOSC Notify = "osc"
)

// IgnoreRule is one [[ignore]] table: newsboat's ignore-article.
type IgnoreRule struct {
	// Feed (feed) is a feed's URL or title, or "*" for every feed.
	Feed string
	// Match (match) is a filter expression (package filter).
	Match string
}

// FeedSettings override Settings for one feed. A zero field (nil, "")
// inherits the global setting.
type FeedSettings struct {
	// FullText (full-text) overrides Settings.FullText; empty inherits it.
	// true is "always", false "never". A feed whose own full-text is
	// "always" has the pages of its new articles fetched and kept during
	// every refresh, so they read offline.
	FullText FullText
	// Reload (reload) overrides Settings.ReloadEvery; 0 never reloads
	// the feed on its own.
	Reload *time.Duration
	// KeepDays (keep-days) overrides Settings.KeepDays.
	KeepDays *int
	// MaxItems (max-items) overrides Settings.MaxItems.
	MaxItems *int
	// UserAgent (user-agent) overrides Settings.UserAgent.
	UserAgent string
	// Browser (browser) overrides Settings.Browser for links of this feed.
	Browser string
}

// Default returns the settings byline uses when config.toml does not say
// otherwise. It is the one place defaults live.
func Default() Settings {
	// The fetcher's own defaults, so the two can never disagree.
	fetch := feed.DefaultOptions()
	return Settings{
		Jobs:           fetch.Jobs,
		PerHost:        fetch.PerHost,
		ConnectTimeout: fetch.ConnectTimeout,
		Timeout:        fetch.Timeout,
		MaxBody:        fetch.MaxBodyBytes,
		MaxRedirects:   fetch.MaxRedirects,
		UserAgent:      "",
		KeepDays:       90,
		Browser:        "",
		RefreshOnStart: true,
		Prefetch:       false,
		FullText:       FullTextAuto,
		MarkReadOnOpen: true,
		Theme:          ThemeAuto,
		MaxItems:       0,
		ReloadEvery:    0,
		Notify:         NotifyNone,
		SaveDir:        "~",
		Images:         picture.ModeAuto,
	}
}

// FeedOptions returns the fetcher options these settings describe. An empty
// UserAgent stays empty for the caller to fill in.
func (s Settings) FeedOptions() feed.Options {
	return feed.Options{
		UserAgent:      s.UserAgent,
		ConnectTimeout: s.ConnectTimeout,
		Timeout:        s.Timeout,
		MaxBodyBytes:   s.MaxBody,
		MaxRedirects:   s.MaxRedirects,
		Jobs:           s.Jobs,
		PerHost:        s.PerHost,
	}
}

// FullTextFor returns the full-text mode for the feed at url: its own
// override if it has one, else the global setting.
func (s Settings) FullTextFor(url string) FullText {
	if override := s.Feeds[url].FullText; override != "" {
		return override
	}
	return s.FullText
}

// Validate reports every setting that is out of range, so settings built
// in Go obey the same rules as settings read from config.toml.
func (s Settings) Validate() error {
	var errs []error
	for _, st := range settingsTable {
		if err := st.check(&s); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", st.key, err))
		}
	}
	for _, action := range slices.Sorted(maps.Keys(s.Keys)) {
		if err := checkKeyBinding(action, s.Keys[action]); err != nil {
			errs = append(errs, fmt.Errorf("keys.%s: %w", action, err))
		}
	}
	for i, rule := range s.Ignore {
		if err := rule.check(); err != nil {
			errs = append(errs, fmt.Errorf("ignore #%d: %w", i+1, err))
		}
	}
	for _, url := range slices.Sorted(maps.Keys(s.Feeds)) {
		perFeed := s.Feeds[url]
		if err := checkURL(url); err != nil {
			errs = append(errs, fmt.Errorf("feeds.%q: %w", url, err))
		}
		for _, st := range feedSettingsTable {
			if err := st.check(&perFeed); err != nil {
				errs = append(errs, fmt.Errorf("feeds.%q.%s: %w", url, st.key, err))
			}
		}
	}
	errs = append(errs, checkAccounts(s.Accounts)...)
	return errors.Join(errs...)
}

// setting is one key of config.toml (or of a [feeds."URL"] table, with T =
// FeedSettings): how to store its TOML value in T and how to check it.
type setting[T any] struct {
	key string
	// decode stores the raw TOML value, rejecting a value of the wrong type.
	decode func(dst *T, raw any) error
	// check validates the stored value. LoadSettings runs it right after
	// decode, so the error carries the key's line; Validate runs it alone.
	check func(src *T) error
}

// field builds a setting from the field it lives in, a conversion from the
// raw TOML value and a check of the converted value.
func field[T, V any](key string, ptr func(*T) *V, convert func(any) (V, error), check func(V) error) setting[T] {
	return setting[T]{
		key: key,
		decode: func(dst *T, raw any) error {
			v, err := convert(raw)
			if err != nil {
				return err
			}
			*ptr(dst) = v
			return nil
		},
		check: func(src *T) error { return check(*ptr(src)) },
	}
}

var settingsTable = []setting[Settings]{
	field("jobs", func(s *Settings) *int { return &s.Jobs }, toInt, inRange(1, 256, strconv.Itoa)),
	field("per-host", func(s *Settings) *int { return &s.PerHost }, toInt, inRange(1, 64, strconv.Itoa)),
	field("connect-timeout", func(s *Settings) *time.Duration { return &s.ConnectTimeout },
		toDuration, inRange(100*time.Millisecond, 10*time.Minute, time.Duration.String)),
	field("timeout", func(s *Settings) *time.Duration { return &s.Timeout },
		toDuration, inRange(time.Second, 10*time.Minute, time.Duration.String)),
	field("max-body", func(s *Settings) *int64 { return &s.MaxBody }, toSize, inRange(1<<10, 1<<30, formatSize)),
	field("max-redirects", func(s *Settings) *int { return &s.MaxRedirects }, toInt, inRange(1, 20, strconv.Itoa)),
	field("user-agent", func(s *Settings) *string { return &s.UserAgent }, toString, printable),
	field("keep-days", func(s *Settings) *int { return &s.KeepDays }, toInt, inRange(0, 36500, strconv.Itoa)),
	field("browser", func(s *Settings) *string { return &s.Browser }, toString, printable),
	field("refresh-on-start", func(s *Settings) *bool { return &s.RefreshOnStart }, toBool, acceptAny[bool]),
	field("prefetch", func(s *Settings) *bool { return &s.Prefetch }, toBool, acceptAny[bool]),
	field("full-text", func(s *Settings) *FullText { return &s.FullText },
		toFullText, oneOf(FullTextAuto, FullTextAlways, FullTextNever)),
	field("mark-read-on-open", func(s *Settings) *bool { return &s.MarkReadOnOpen }, toBool, acceptAny[bool]),
	field("theme", func(s *Settings) *Theme { return &s.Theme },
		toString[Theme], oneOf(ThemeAuto, ThemeDark, ThemeLight, ThemePlain)),
	field("max-items", func(s *Settings) *int { return &s.MaxItems }, toInt, inRange(0, maxItemsLimit, strconv.Itoa)),
	field("reload-every", func(s *Settings) *time.Duration { return &s.ReloadEvery }, toDuration, checkReload),
	field("notify", func(s *Settings) *Notify { return &s.Notify }, toString[Notify], oneOf(NotifyNone, NotifyOSC)),
	field("notify-command", func(s *Settings) *[]string { return &s.NotifyCommand }, toCommand, checkCommand),
	field("save-dir", func(s *Settings) *string { return &s.SaveDir }, toString, printable),
	field("pipe-command", func(s *Settings) *[]string { return &s.PipeCommand }, toCommand, checkCommand),
	field("images", func(s *Settings) *picture.Mode { return &s.Images }, toString[picture.Mode], oneOf(picture.Modes...)),
}

var feedSettingsTable = []setting[FeedSettings]{
	field("full-text", func(f *FeedSettings) *FullText { return &f.FullText },
		toFullText, oneOf("", FullTextAuto, FullTextAlways, FullTextNever)),
	field("reload", func(f *FeedSettings) **time.Duration { return &f.Reload }, optional(toDuration), ifSet(checkReload)),
	field("keep-days", func(f *FeedSettings) **int { return &f.KeepDays }, optional(toInt), ifSet(inRange(0, 36500, strconv.Itoa))),
	field("max-items", func(f *FeedSettings) **int { return &f.MaxItems }, optional(toInt), ifSet(inRange(0, maxItemsLimit, strconv.Itoa))),
	field("user-agent", func(f *FeedSettings) *string { return &f.UserAgent }, toString, printable),
	field("browser", func(f *FeedSettings) *string { return &f.Browser }, toString, printable),
}

// Conversions from the raw values BurntSushi/toml produces (int64, float64,
// string, bool, []any, map[string]any, time types).

func toInt(raw any) (int, error) {
	n, ok := raw.(int64)
	if !ok {
		return 0, typeError("an integer", raw)
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		// Any int setting's range fits in 32 bits; saying so beats
		// silently wrapping on a 32-bit platform.
		return 0, fmt.Errorf("%d is out of range", n)
	}
	return int(n), nil
}

func toString[S ~string](raw any) (S, error) {
	s, ok := raw.(string)
	if !ok {
		return "", typeError("a string", raw)
	}
	return S(s), nil
}

func toBool(raw any) (bool, error) {
	b, ok := raw.(bool)
	if !ok {
		return false, typeError("true or false", raw)
	}
	return b, nil
}

func toDuration(raw any) (time.Duration, error) {
	s, ok := raw.(string)
	if !ok {
		return 0, typeError(`a duration such as "10s"`, raw)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf(`must be a duration such as "10s" or "1m30s", got %q`, s)
	}
	return d, nil
}

// sizeUnits maps lower-cased unit names to bytes: the SI units are powers
// of 1000 and the IEC ones powers of 1024, as their names say.
var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"kb": 1e3, "mb": 1e6, "gb": 1e9,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30,
}

func toSize(raw any) (int64, error) {
	switch v := raw.(type) {
	case int64:
		return v, nil
	case string:
		return parseSize(v)
	}
	return 0, typeError(`a size such as "20MiB"`, raw)
}

func parseSize(s string) (int64, error) {
	bad := fmt.Errorf(`must be a size such as "20MiB" or "500KB", got %q`, s)
	text := strings.TrimSpace(s)
	digits := strings.IndexFunc(text, func(r rune) bool { return r < '0' || r > '9' })
	if digits < 0 {
		digits = len(text)
	}
	if digits == 0 {
		return 0, bad
	}
	n, err := strconv.ParseInt(text[:digits], 10, 64)
	unit, ok := sizeUnits[strings.ToLower(strings.TrimSpace(text[digits:]))]
	if err != nil || !ok {
		return 0, bad
	}
	if n > math.MaxInt64/unit {
		return 0, fmt.Errorf("%s is out of range", s)
	}
	return n * unit, nil
}

// formatSize writes n bytes in the largest IEC unit that divides it, so
// error messages echo sizes the way a user would write them.
func formatSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n != 0 && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

func typeError(want string, raw any) error {
	return fmt.Errorf("must be %s, got %s", want, describeTOML(raw))
}

// describeTOML names a raw TOML value for an error message.
func describeTOML(raw any) string {
	switch v := raw.(type) {
	case string:
		return strconv.Quote(v)
	case int64, float64, bool:
		return fmt.Sprint(v)
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	default:
		return fmt.Sprintf("a %T", v)
	}
}

// Checks of converted values.

func inRange[V cmp.Ordered](lo, hi V, format func(V) string) func(V) error {
	return func(v V) error {
		if v < lo || v > hi {
			return fmt.Errorf("must be between %s and %s, got %s", format(lo), format(hi), format(v))
		}
		return nil
	}
}

func oneOf[S ~string](choices ...S) func(S) error {
	return func(v S) error {
		if slices.Contains(choices, v) {
			return nil
		}
		names := make([]string, 0, len(choices))
		for _, c := range choices {
			if c != "" {
				names = append(names, strconv.Quote(string(c)))
			}
		}
		return fmt.Errorf("must be one of %s, got %q", strings.Join(names, ", "), v)
	}
}

// printable rejects control characters: these strings end up in an HTTP
// header or a command line, where a newline would be an injection.
func printable(s string) error {
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		return fmt.Errorf("must not contain control characters, got %q", s)
	}
	return nil
}

func acceptAny[V any](V) error { return nil }

func checkKeyBinding(action string, keys []string) error {
	if action == "" {
		return errors.New("the action name must not be empty")
	}
	for _, k := range keys {
		if strings.TrimSpace(k) == "" {
			return errors.New("key names must not be empty")
		}
		if err := printable(k); err != nil {
			return err
		}
	}
	return nil
}

func toKeyList(raw any) ([]string, error) {
	if s, ok := raw.(string); ok {
		return []string{s}, nil
	}
	items, ok := raw.([]any)
	if !ok {
		return nil, typeError(`a list of keys such as ["q", "ctrl+c"]`, raw)
	}
	keys := make([]string, 0, len(items))
	for _, item := range items {
		s, ok := item.(string)
		if !ok {
			return nil, fmt.Errorf("must hold only strings, got %s", describeTOML(item))
		}
		keys = append(keys, s)
	}
	return keys, nil
}

// KeyCheck validates the [keys] table as a whole. The ui package owns the
// action names, the key syntax and which actions share a screen, so the
// caller passes its check (ui.CheckKeys) to LoadSettings.
type KeyCheck func(keys map[string][]string) []KeyProblem

// KeyProblem is a mistake a KeyCheck found in the [keys] entry of Action.
type KeyProblem struct {
	Action string
	Err    error
}

// LoadSettings reads config.toml at path. A missing file means Default().
// Anything wrong in the file is a *SettingsError naming its line (several
// are joined); checkKeys, if not nil, judges the [keys] table.
func LoadSettings(path string, checkKeys KeyCheck) (Settings, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("read settings: %w", err)
	}
	return parseSettings(path, data, checkKeys)
}

// SettingsError is a mistake in config.toml.
type SettingsError struct {
	File string
	Line int    // 1-based; 0 when the TOML parser could not place it
	Key  string // dotted TOML key, empty for syntax errors
	Err  error
}

func (e *SettingsError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *SettingsError) Unwrap() error { return e.Err }

// parseSettings decodes config.toml on top of Default().
//
// BurntSushi/toml knows where every key is but keeps it private, except in
// the ParseError it returns when a value refuses to decode. So every value
// is decoded from a toml.Primitive into a function-backed Unmarshaler
// (valueDecoder): the function does the conversion and the checks, and any
// error it returns comes back positioned at the key's line. Unknown keys are
// found the same way, by decoding them into a decoder that always refuses.
func parseSettings(file string, data []byte, checkKeys KeyCheck) (Settings, error) {
	s := Default()
	var top map[string]toml.Primitive
	md, err := toml.Decode(string(data), &top)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return Settings{}, &SettingsError{File: file, Line: pe.Position.Line, Err: errors.New(pe.Message)}
		}
		return Settings{}, &SettingsError{File: file, Err: err}
	}
	d := settingsDecoder{file: file, data: string(data), md: &md, s: &s, tables: map[string]map[string]toml.Primitive{"": top}}
	// Depth 3 is the deepest key byline reads (feeds."URL".full-text); a
	// deeper key is reported through its parent, which cannot decode it.
	for _, path := range keyPrefixes(md.Keys(), 3) {
		if err := d.visit(path); err != nil {
			return Settings{}, err
		}
	}
	if checkKeys != nil && len(s.Keys) > 0 {
		var errs []*SettingsError
		for _, p := range checkKeys(s.Keys) {
			// Decoding the entry again with a refusal puts the line on it.
			err := d.value(toml.Key{"keys", p.Action}, d.tables["keys"][p.Action], func(any) error { return p.Err })
			var se *SettingsError
			if errors.As(err, &se) {
				errs = append(errs, se)
			}
		}
		if len(errs) > 0 {
			slices.SortStableFunc(errs, func(a, b *SettingsError) int { return a.Line - b.Line })
			joined := make([]error, len(errs))
			for i, e := range errs {
				joined[i] = e
			}
			return Settings{}, errors.Join(joined...)
		}
	}
	return s, nil
}

// keyPrefixes lists every prefix (up to depth) of every key once, in the
// order the file first mentions it, so a table is visited before its keys.
func keyPrefixes(keys []toml.Key, depth int) []toml.Key {
	seen := make(map[string]bool)
	var out []toml.Key
	for _, k := range keys {
		for n := 1; n <= len(k) && n <= depth; n++ {
			p := k[:n]
			if id := p.String(); !seen[id] {
				seen[id] = true
				out = append(out, p)
			}
		}
	}
	return out
}

type settingsDecoder struct {
	file string
	data string // the file, for the lines of [[…]] tables' keys
	md   *toml.MetaData
	s    *Settings
	// tables holds the decoded tables met so far, keyed by their dotted
	// key ("" is the document).
	tables map[string]map[string]toml.Primitive
}

// valueDecoder lets a plain function receive a raw TOML value through
// toml.Unmarshaler, which is what makes its errors carry a line number.
type valueDecoder func(raw any) error

func (f valueDecoder) UnmarshalTOML(raw any) error { return f(raw) }

func (d *settingsDecoder) visit(path toml.Key) error {
	parent, name := path[:len(path)-1], path[len(path)-1]
	prim := d.tables[parent.String()][name]
	switch {
	case len(path) == 1 && name == "account":
		return d.accounts(path, prim)
	case path[0] == "account":
		return nil // decoded with the array
	case len(path) == 1 && (name == "keys" || name == "feeds"):
		return d.table(path, prim)
	case len(path) == 1 && (name == "feed" || name == "ignore" || name == "site"):
		return d.arrayOfTables(name, prim)
	case path[0] == "feed" || path[0] == "ignore" || path[0] == "site":
		return nil // read with the array, by arrayOfTables
	case len(path) == 1:
		if st, ok := lookup(settingsTable, name); ok {
			return d.value(path, prim, func(raw any) error { return decodeChecked(st, d.s, raw) })
		}
	case len(path) == 2 && path[0] == "keys":
		return d.value(path, prim, func(raw any) error {
			keys, err := toKeyList(raw)
			if err == nil {
				err = checkKeyBinding(name, keys)
			}
			if err != nil {
				return err
			}
			if d.s.Keys == nil {
				d.s.Keys = make(map[string][]string)
			}
			d.s.Keys[name] = keys
			return nil
		})
	case len(path) == 2 && path[0] == "feeds":
		if err := d.value(path, prim, func(any) error { return checkURL(name) }); err != nil {
			return err
		}
		if d.s.Feeds == nil {
			d.s.Feeds = make(map[string]FeedSettings)
		}
		if _, ok := d.s.Feeds[name]; !ok {
			d.s.Feeds[name] = FeedSettings{} // a [[feed]] table may have come first
		}
		return d.table(path, prim)
	case len(path) == 3 && path[0] == "feeds":
		if st, ok := lookup(feedSettingsTable, name); ok {
			return d.value(path, prim, func(raw any) error {
				perFeed := d.s.Feeds[path[1]]
				if err := decodeChecked(st, &perFeed, raw); err != nil {
					return err
				}
				d.s.Feeds[path[1]] = perFeed
				return nil
			})
		}
	}
	return d.unknown(path, prim)
}

func lookup[T any](table []setting[T], key string) (setting[T], bool) {
	i := slices.IndexFunc(table, func(st setting[T]) bool { return st.key == key })
	if i < 0 {
		return setting[T]{}, false
	}
	return table[i], true
}

func decodeChecked[T any](st setting[T], dst *T, raw any) error {
	if err := st.decode(dst, raw); err != nil {
		return err
	}
	return st.check(dst)
}

// table checks that path holds a table and remembers its keys.
func (d *settingsDecoder) table(path toml.Key, prim toml.Primitive) error {
	err := d.value(path, prim, func(raw any) error {
		if _, ok := raw.(map[string]any); !ok {
			return typeError("a table", raw)
		}
		return nil
	})
	if err != nil {
		return err
	}
	var t map[string]toml.Primitive
	if err := d.md.PrimitiveDecode(prim, &t); err != nil {
		return &SettingsError{File: d.file, Key: path.String(), Err: err}
	}
	d.tables[path.String()] = t
	return nil
}

// value hands the raw value at path to f and turns f's error into a
// SettingsError at the key's line.
func (d *settingsDecoder) value(path toml.Key, prim toml.Primitive, f func(raw any) error) error {
	err := d.md.PrimitiveDecode(prim, valueDecoder(f))
	if err == nil {
		return nil
	}
	se := &SettingsError{File: d.file, Key: path.String(), Err: fmt.Errorf("%s: %w", path, err)}
	var pe toml.ParseError
	if errors.As(err, &pe) {
		se.Line = pe.Position.Line
		se.Err = fmt.Errorf("%s: %s", path, pe.Message)
	}
	return se
}

func (d *settingsDecoder) unknown(path toml.Key, prim toml.Primitive) error {
	name := path[len(path)-1]
	msg := fmt.Sprintf("unknown key %q", name)
	if len(path) > 1 {
		msg += fmt.Sprintf(" in [%s]", path[:len(path)-1])
	}
	if guess := closestKey(path); guess != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", guess)
	}
	err := d.value(path, prim, func(any) error { return errors.New(msg) })
	var se *SettingsError
	if errors.As(err, &se) {
		se.Err = errors.New(msg) // without value's "key: " prefix: the message names it
	}
	return err
}

// closestKey suggests the known key a typo was probably meant to be.
func closestKey(path toml.Key) string {
	var known []string
	switch len(path) {
	case 2:
		if path[0] == "account" {
			for _, st := range accountTable {
				known = append(known, st.key)
			}
		}
	case 1:
		known = []string{"keys", "feeds", "feed", "ignore", "site", "account"}
		for _, st := range settingsTable {
			known = append(known, st.key)
		}
	case 3:
		for _, st := range feedSettingsTable {
			known = append(known, st.key)
		}
	}
	return closest(path[len(path)-1], known)
}

// closest is the known name a typo was probably meant to be, if any.
func closest(name string, known []string) string {
	best, bestDist := "", 3 // further than 2 edits is a different word
	for _, k := range known {
		if dist := editDistance(name, k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
