package config

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestConvertNewsboatConfig(t *testing.T) {
	nb, err := ConvertNewsboatConfig(strings.NewReader(`# comment
auto-reload yes
reload-time 45   # minutes
max-items "200"
keep-articles-days 30
user-agent "Lynx/2.8"
save-path "~/Saved Articles"
refresh-on-startup no
ignore-article "*" "title =~ \"Gentoo\""
ignore-article "https://a.example/rss" "author = \"O'Brien\" and title =~ \"a\\\\.b\""
ignore-article "*" "nosuch = 1"
ignore-mode "display"
color background white black
`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"reload-every": "'45m0s'", "max-items": "200", "keep-days": "30", "user-agent": "'Lynx/2.8'",
		"save-dir": "'~/Saved Articles'", "refresh-on-start": "false"}
	for k, v := range want {
		if nb.Settings[k] != v {
			t.Errorf("%s = %q, want %q", k, nb.Settings[k], v)
		}
	}
	if len(nb.Settings) != len(want) {
		t.Errorf("settings %v", nb.Settings)
	}
	var notes []int
	for _, n := range nb.Notes {
		notes = append(notes, n.Line)
	}
	if !slices.Equal(notes, []int{11, 12, 13}) || !strings.Contains(nb.Notes[0].Text, `unknown attribute "nosuch"`) {
		t.Errorf("notes %v", nb.Notes)
	}
	s, err := parseSettings("config.toml", []byte(nb.merge(nil, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.ReloadEvery != 45*time.Minute || s.KeepDays != 30 || len(s.Ignore) != 2 ||
		s.Ignore[1] != (IgnoreRule{Feed: "https://a.example/rss", Match: `author = "O'Brien" and title =~ "a\\.b"`}) {
		t.Errorf("loaded %+v", s)
	}
}

// A migration goes into an existing config.toml without disturbing it:
// its settings stay, newsboat's go before its tables, the rules after.
func TestMergeNewsboat(t *testing.T) {
	nb, err := ConvertNewsboatConfig(strings.NewReader("max-items 50\nbrowser w3m\nignore-article \"*\" \"age > 99\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	existing := []byte("browser = \"firefox\"\n\n[keys]\nquit = [\"q\"]\n")
	merged, kept, err := MergeNewsboat(existing, nb)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(kept, []string{"browser"}) {
		t.Errorf("kept %q", kept)
	}
	s, err := parseSettings("config.toml", merged, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, merged)
	}
	if s.Browser != "firefox" || s.MaxItems != 50 || len(s.Ignore) != 1 || len(s.Keys["quit"]) != 1 {
		t.Errorf("merged settings %+v\n%s", s, merged)
	}
	if _, _, err := MergeNewsboat(merged, nb); err == nil {
		t.Error("a second migration was accepted")
	}
}
