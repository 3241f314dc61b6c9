package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSiteTables(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(`
[[site]]
host = "*.example.com"
body = "div.story-text"
strip = [".promo", "aside.more"]

[[site]]
host = "news.example.org"
follow = "a.print-version"
`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSettings(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Site{
		{Host: "*.example.com", Body: "div.story-text", Strip: []string{".promo", "aside.more"}},
		{Host: "news.example.org", Follow: "a.print-version"},
	}
	if !slices.EqualFunc(s.Sites, want, func(a, b Site) bool {
		return a.Host == b.Host && a.Body == b.Body && a.Follow == b.Follow && slices.Equal(a.Strip, b.Strip)
	}) {
		t.Errorf("sites = %+v, want %+v", s.Sites, want)
	}

	rules := SitesPath(dir)
	if got, err := LoadSites(rules); err != nil || got != nil {
		t.Errorf("no sites.toml: %v, %v", got, err)
	}
	if err := os.WriteFile(rules, []byte("[[site]]\nhost = \"blog.example.net\"\nstrip = \".comments\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := LoadSites(rules); err != nil || len(got) != 1 || got[0].Host != "blog.example.net" || !slices.Equal(got[0].Strip, []string{".comments"}) {
		t.Errorf("sites.toml: %+v, %v", got, err)
	}

	for _, tt := range []struct{ file, want string }{
		{"[[site]]\nbody = \"div\"\n", ":1: [[site]] needs host"},
		{"[[site]]\nhost = \"example.com\"\n", "needs body, strip or follow"},
		{"[[site]]\nhost = \"example.com\"\nbdy = \"div\"\n", `:3: unknown key "bdy" in [[site]] (did you mean "body"?)`},
		{"[[site]]\nhost = \"example.com\"\nstrip = [1]\n", ":3: site.strip: must hold only strings"},
		{"jobs = 4\n", "holds only [[site]] tables"},
	} {
		if err := os.WriteFile(rules, []byte(tt.file), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadSites(rules); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want an error with %q", tt.file, err, tt.want)
		}
	}
}
