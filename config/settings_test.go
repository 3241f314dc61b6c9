package config

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bylinehq/byline/picture"
)

func TestDefaultIsValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestLoadSettingsMissingFileIsDefault(t *testing.T) {
	s, err := LoadSettings(filepath.Join(t.TempDir(), "config.toml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, Default()) {
		t.Errorf("got %+v, want Default()", s)
	}
}

func TestLoadSettingsEveryKey(t *testing.T) {
	const file = `# every key, none at its default
jobs = 8
per-host = 4
connect-timeout = "3s"
timeout = "1m30s"
max-body = "512 KiB"
max-redirects = 3
user-agent = "my-reader/1.0"
keep-days = 0
browser = "firefox --new-tab"
refresh-on-start = false
prefetch = true
full-text = "always"
mark-read-on-open = false
theme = "plain"
max-items = 500
reload-every = "30m"
notify = "osc"
notify-command = ["notify-send", "byline"]
save-dir = "~/saved stories"
pipe-command = ["less", "-R"]
images = "halfblocks"

[[ignore]]
feed = "*"
match = 'title =~ "Sponsored"'

[[ignore]]
feed = "https://lwn.net/headlines/rss"
match = "author = \"Weekly Edition\""

[[feed]]
url = "https://go.dev/blog/feed.atom"
reload = "15m"
full-text = true
keep-days = 0
max-items = 50
user-agent = "Mozilla/5.0"
browser = "w3m"

[[feed]]
url = "https://lwn.net/headlines/rss"
reload = "0"

[[site]]
host = "*.example.com"
body = "div.story-text"
strip = [".promo"]
follow = "a.print"

[keys]
quit = ["q", "ctrl+c"]
open = "enter"
star = []

[feeds."https://lwn.net/headlines/rss"]
full-text = "never"

[feeds."byline:welcome"]

[[account]]
name = "home"
type = "miniflux"
url = "https://rss.example.org"
username = "me"
password-command = "pass show rss"

[[account]]
name = "ino"
type = "greader"
url = "https://www.inoreader.com"
username = "me@example.org"
password-env = "INO_PASSWORD"
app-id = "1000001414"
app-key = "kk18irxGeoXA5wyFg9U1PpTuabDu2WWG"

[[account]]
name = "key"
type = "miniflux"
url = "https://rss.example.org"
token-env = "MINIFLUX_TOKEN"
`
	path := filepath.Join(t.TempDir(), "config.toml")
	writeFile(t, path, file)
	got, err := LoadSettings(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{
		Jobs:           8,
		PerHost:        4,
		ConnectTimeout: 3 * time.Second,
		Timeout:        90 * time.Second,
		MaxBody:        512 << 10,
		MaxRedirects:   3,
		UserAgent:      "my-reader/1.0",
		KeepDays:       0,
		Browser:        "firefox --new-tab",
		RefreshOnStart: false,
		Prefetch:       true,
		FullText:       FullTextAlways,
		MarkReadOnOpen: false,
		Theme:          ThemePlain,
		MaxItems:       500,
		ReloadEvery:    30 * time.Minute,
		Notify:         NotifyOSC,
		NotifyCommand:  []string{"notify-send", "byline"},
		SaveDir:        "~/saved stories",
		PipeCommand:    []string{"less", "-R"},
		Ignore: []IgnoreRule{
			{Feed: "*", Match: `title =~ "Sponsored"`},
			{Feed: "https://lwn.net/headlines/rss", Match: `author = "Weekly Edition"`},
		},
		Sites:  []Site{{Host: "*.example.com", Body: "div.story-text", Strip: []string{".promo"}, Follow: "a.print"}},
		Images: picture.ModeHalfBlocks,
		Keys:   map[string][]string{"quit": {"q", "ctrl+c"}, "open": {"enter"}, "star": {}},
		Feeds: map[string]FeedSettings{
			"https://lwn.net/headlines/rss": {FullText: FullTextNever, Reload: ptr(time.Duration(0))},
			"byline:welcome":                {},
			"https://go.dev/blog/feed.atom": {FullText: FullTextAlways, Reload: ptr(15 * time.Minute), KeepDays: ptr(0),
				MaxItems: ptr(50), UserAgent: "Mozilla/5.0", Browser: "w3m"},
		},
		Accounts: []Account{
			{Name: "home", Type: AccountMiniflux, URL: "https://rss.example.org", Username: "me", PasswordCommand: "pass show rss"},
			{Name: "ino", Type: AccountGReader, URL: "https://www.inoreader.com", Username: "me@example.org", PasswordEnv: "INO_PASSWORD",
				AppID: "1000001414", AppKey: "kk18irxGeoXA5wyFg9U1PpTuabDu2WWG"},
			{Name: "key", Type: AccountMiniflux, URL: "https://rss.example.org", TokenEnv: "MINIFLUX_TOKEN"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	// Every field of Settings must be settable from the file: a field the
	// table forgot would still hold its default here.
	d := reflect.ValueOf(Default())
	g := reflect.ValueOf(got)
	for i := range d.NumField() {
		if reflect.DeepEqual(d.Field(i).Interface(), g.Field(i).Interface()) {
			t.Errorf("Settings.%s was not changed by the file", d.Type().Field(i).Name)
		}
	}
	if got.FullTextFor("https://lwn.net/headlines/rss") != FullTextNever || got.FullTextFor("byline:welcome") != FullTextAlways {
		t.Error("FullTextFor does not apply the per-feed override")
	}
	// Each feed's policy: its own settings, else the global ones.
	go126 := got.ForFeed("https://go.dev/blog/feed.atom")
	if go126 != (FeedPolicy{FullText: FullTextAlways, Prefetch: true, Reload: 15 * time.Minute, KeepDays: 0, MaxItems: 50,
		UserAgent: "Mozilla/5.0", Browser: "w3m"}) {
		t.Errorf("ForFeed(go.dev) = %+v", go126)
	}
	if lwn := got.ForFeed("https://lwn.net/headlines/rss"); lwn != (FeedPolicy{FullText: FullTextNever, KeepDays: 0, MaxItems: 500,
		UserAgent: "my-reader/1.0", Browser: "firefox --new-tab"}) {
		t.Errorf("ForFeed(lwn) = %+v", lwn)
	}
	if other := got.ForFeed("https://other.example/"); other.Reload != 30*time.Minute || other.Prefetch || other.FullText != FullTextAlways {
		t.Errorf("ForFeed of a feed without settings = %+v", other)
	}
	opts := got.FeedOptions()
	if opts.Jobs != 8 || opts.PerHost != 4 || opts.MaxBodyBytes != 512<<10 || opts.Timeout != 90*time.Second ||
		opts.ConnectTimeout != 3*time.Second || opts.UserAgent != "my-reader/1.0" || opts.MaxRedirects != 3 {
		t.Errorf("FeedOptions = %+v", opts)
	}
}

func TestLoadSettingsErrors(t *testing.T) {
	tests := []struct {
		name, file string
		line       int
		want       string
	}{
		{"unknown key", "jobs = 4\n\n# x\n\n\n\njobz = 3\n", 7, `config.toml:7: unknown key "jobz" (did you mean "jobs"?)`},
		{"out of range", "# c\n\njobs = 0\n", 3, "config.toml:3: jobs: must be between 1 and 256, got 0"},
		{"wrong type", "per-host = \"2\"\n", 1, `config.toml:1: per-host: must be an integer, got "2"`},
		{"bad duration", "\ntimeout = \"30\"\n", 2, `timeout: must be a duration such as "10s" or "1m30s", got "30"`},
		{"duration as number", "timeout = 30\n", 1, `timeout: must be a duration such as "10s", got 30`},
		{"duration too short", "connect-timeout = \"1ms\"\n", 1, "connect-timeout: must be between 100ms and 10m0s, got 1ms"},
		{"bad size", "max-body = \"20 parsecs\"\n", 1, `max-body: must be a size such as "20MiB"`},
		{"size too big", "max-body = \"2GiB\"\n", 1, "max-body: must be between 1KiB and 1GiB, got 2GiB"},
		{"size overflow", "max-body = \"99999999999999GiB\"\n", 1, "out of range"},
		{"bad choice", "theme = \"solarized\"\n", 1, `theme: must be one of "auto", "dark", "light", "plain", got "solarized"`},
		{"bad images", "images = \"sixels\"\n", 1, `images: must be one of "auto", "kitty", "sixel", "iterm", "halfblocks", "none", got "sixels"`},
		{"header injection", "user-agent = \"x\\r\\nX-Evil: 1\"\n", 1, "user-agent: must not contain control characters"},
		{"bool as string", "prefetch = \"yes\"\n", 1, `prefetch: must be true or false, got "yes"`},
		{"table for scalar", "[jobs]\nx = 1\n", 1, "jobs: must be an integer, got a table"},
		{"keys not a table", "keys = [\"q\"]\n", 1, "keys: must be a table, got an array"},
		{"key list of numbers", "[keys]\n\nquit = [1, 2]\n", 3, "keys.quit: must hold only strings, got 1"},
		{"empty key", "[keys]\nquit = [\"q\", \" \"]\n", 2, "key names must not be empty"},
		{"multi-line key list", "[keys]\nquit = [\n  \"q\",\n  42,\n]\n", 2, "keys.quit"},
		{"unknown feed key", "[feeds.\"https://a.example/\"]\nfull-text = \"never\"\nfulltext = \"x\"\n", 3,
			`unknown key "fulltext" in [feeds."https://a.example/"] (did you mean "full-text"?)`},
		{"bad feed value", "[feeds.\"https://a.example/\"]\n\nfull-text = \"sometimes\"\n", 3, `feeds."https://a.example/".full-text: must be one of`},
		{"bad feed URL", "\n[feeds.\"exec:date\"]\nfull-text = \"never\"\n", 2, "`exec:` feeds are not supported"},
		{"feed not a table", "feeds.\"https://a.example/\" = \"never\"\n", 1, "must be a table"},
		{"nested unknown", "[feeds.\"https://a.example/\".x]\ny = 1\n", 1, `unknown key "x"`},
		{"syntax error", "jobs = 4\ntheme = \n", 2, "config.toml:2: "},
		{"duplicate key", "jobs = 4\njobs = 5\n", 2, "already been defined"},
		{"unknown key after bad", "jobz = 1\njobs = 0\n", 1, "unknown key"},
		{"reload too often", "reload-every = \"10s\"\n", 1, `reload-every: must be "0" (never) or between 1m and 720h, got 10s`},
		{"bad notify", "notify = \"bell\"\n", 1, `notify: must be one of "osc", got "bell"`},
		{"command of numbers", "pipe-command = [\"less\", 2]\n", 1, "pipe-command: must hold only strings, got 2"},
		{"command without a program", "notify-command = [\"\", \"x\"]\n", 1, "the program (the first string) must not be empty"},
		{"feed not an array", "feed = \"x\"\n", 1, "must be [[feed]] tables"},
		{"feed without url", "jobs = 2\n\n[[feed]]\nreload = \"1h\"\n", 3, "[[feed]] needs url"},
		{"bad key in second feed", "[[feed]]\nurl = \"https://a.example/\"\n\n[[feed]]\nurl = \"https://b.example/\"\nmax-itemz = 3\n", 6,
			`unknown key "max-itemz" in [[feed]] (did you mean "max-items"?)`},
		{"bad value in second feed", "[[feed]]\nurl = \"https://a.example/\"\nkeep-days = 3\n[[feed]]\nurl = \"https://b.example/\"\nkeep-days = -3\n", 6,
			"feed.keep-days: must be between 0 and 36500, got -3"},
		{"bad feed url in table", "[[feed]]\nurl = \"ftp://a.example/\"\n", 2, `feed.url: unsupported URL scheme "ftp"`},
		{"bad full-text", "[[feed]]\nurl = \"https://a.example/\"\nfull-text = 3\n", 3, "feed.full-text: must be a string, got 3"},
		{"ignore without match", "[[ignore]]\nfeed = \"*\"\n", 1, "[[ignore]] needs match"},
		{"ignore bad filter", "[[ignore]]\nfeed = \"*\"\n\nmatch = 'title =~ \"[[\"'\n", 4, "ignore.match: column 10: bad regular expression"},
		{"ignore unknown attribute", "[[ignore]]\nmatch = 'titel = \"x\"'\n", 2, `ignore.match: column 1: unknown attribute "titel"`},
		{"ignore empty feed", "[[ignore]]\nfeed = \"\"\nmatch = 'age > 3'\n", 2, "ignore.feed: must be a feed's URL or title"},
		{"ignore unknown key", "[[ignore]]\nmatch = 'age > 3'\nfeeds = \"*\"\n", 3, `unknown key "feeds" in [[ignore]] (did you mean "feed"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			writeFile(t, path, tt.file)
			_, err := LoadSettings(path, nil)
			var se *SettingsError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *SettingsError", err)
			}
			if se.Line != tt.line || se.File != path {
				t.Errorf("error at %s:%d, want %s:%d (%v)", se.File, se.Line, path, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func ptr[V any](v V) *V { return &v }

// The older [feeds."URL"] tables say what [[feed]] says; a feed may have
// both, and its settings are the two together.
func TestFeedTablesBothForms(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	writeFile(t, path, `[feeds."https://a.example/"]
full-text = "never"
keep-days = 3

[[feed]]
url = "https://a.example/"
reload = "2h"
`)
	s, err := LoadSettings(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := FeedSettings{FullText: FullTextNever, KeepDays: ptr(3), Reload: ptr(2 * time.Hour)}
	if got := s.Feeds["https://a.example/"]; !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestIgnoreRuleApplies(t *testing.T) {
	all := IgnoreRule{Feed: "*", Match: "age > 1"}
	one := IgnoreRule{Feed: "https://a.example/", Match: "age > 1"}
	named := IgnoreRule{Feed: "Tech Notes", Match: "age > 1"}
	for _, tt := range []struct {
		rule       IgnoreRule
		url, title string
		want       bool
	}{
		{all, "https://b.example/", "", true},
		{one, "https://a.example/", "A", true},
		{one, "https://b.example/", "A", false},
		{named, "https://b.example/", "tech notes", true},
		{named, "https://b.example/", "", false},
	} {
		if got := tt.rule.Applies(tt.url, tt.title); got != tt.want {
			t.Errorf("%+v.Applies(%q, %q) = %v", tt.rule, tt.url, tt.title, got)
		}
	}
}

func TestLoadSettingsBOMAndCRLF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	writeFile(t, path, "\ufeff# windows notepad\r\njobs = 7\r\ntheme = \"dark\"\r\n")
	s, err := LoadSettings(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Jobs != 7 || s.Theme != ThemeDark {
		t.Errorf("got jobs %d theme %q", s.Jobs, s.Theme)
	}
}

func TestLoadSettingsUnreadable(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadSettings(dir, nil); err == nil {
		t.Error("reading a directory as config.toml succeeded")
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	s := Default()
	s.Jobs = 0
	s.Theme = "neon"
	s.MaxBody = 10
	s.Keys = map[string][]string{"quit": {""}}
	s.Feeds = map[string]FeedSettings{"ftp://a.example/": {FullText: "maybe"}}
	err := s.Validate()
	if err == nil {
		t.Fatal("Validate accepted bad settings")
	}
	for _, key := range []string{"jobs:", "theme:", "max-body:", "keys.quit:", `feeds."ftp://a.example/":`, `feeds."ftp://a.example/".full-text:`} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("Validate error does not mention %s:\n%v", key, err)
		}
	}
}

func TestParseSize(t *testing.T) {
	tests := map[string]int64{
		"20MiB": 20 << 20, "20mib": 20 << 20, "500KB": 500_000, "1 GiB": 1 << 30, "4096": 4096, "7B": 7, " 3 MB ": 3_000_000,
	}
	for in, want := range tests {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "1.5MiB", "-3MiB", "20 MiBs", "0x10"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
	for n, want := range map[int64]string{20 << 20: "20MiB", 3 << 10: "3KiB", 1536: "1536B", 1000: "1000B", 0: "0B"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// FuzzLoadSettings checks that no config.toml panics the loader, that
// whatever loads is valid, and that every error names the file and a line
// inside it.
func FuzzLoadSettings(f *testing.F) {
	f.Add("jobs = 4\ntheme = \"dark\"\n[keys]\nquit = [\"q\"]\n[feeds.\"https://a.example/\"]\nfull-text = \"never\"\n")
	f.Add("max-body = \"20MiB\"\ntimeout = \"30s\"\n")
	f.Add("jobz = 1\n")
	f.Add("[feeds.x.y.z]\n")
	f.Add("keys = { quit = 1 }\n")
	f.Add("a = \"\"\"\nmulti\nline\"\"\"\n")
	f.Add("[[feed]]\nurl = \"https://a.example/\"\nreload = \"15m\"\nkeep-days = 3\n[[ignore]]\nfeed = \"*\"\nmatch = 'title =~ \"x\"'\n")
	f.Add("notify-command = [\"notify-send\"]\nreload-every = \"1h\"\n[[feed]]\n[[ignore]]\nmatch = 1\n")
	f.Fuzz(func(t *testing.T, input string) {
		s, err := parseSettings("config.toml", []byte(input), nil)
		if err == nil {
			if err := s.Validate(); err != nil {
				t.Fatalf("loaded settings do not validate: %v", err)
			}
			return
		}
		var se *SettingsError
		if !errors.As(err, &se) {
			t.Fatalf("error %v is not a *SettingsError", err)
		}
		if !strings.HasPrefix(err.Error(), "config.toml") {
			t.Fatalf("error %q does not name the file", err)
		}
		if lines := strings.Count(input, "\n") + 1; se.Line < 0 || se.Line > lines {
			t.Fatalf("error line %d outside a %d-line file: %v", se.Line, lines, err)
		}
	})
}
