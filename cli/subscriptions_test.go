package cli_test

import (
	"encoding/xml"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRemoveRefreshAndListNameFeedsAlike: remove matched only ~ renames, so
// the title `byline feeds` shows (the feed's own) and the ID refresh and
// list --feed take both failed. One matcher serves all three.
func TestRemoveRefreshAndListNameFeedsAlike(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, srv.URL+"/world.rss news\n"+srv.URL+`/tech.atom "~My Tech"`+"\n"+srv.URL+"/science.json\n")
	h.ok("refresh")
	ids := map[string]int64{}
	for _, f := range h.feeds() {
		ids[f.Title] = f.ID
	}
	science := itoa(ids["Science Weekly"])
	for _, key := range []string{"world desk", science, srv.URL + "/tech.atom"} {
		if n := len(h.list("--feed", key)); n == 0 {
			t.Errorf("list --feed %q: no articles", key)
		}
		if out := h.ok("refresh", key); !strings.HasPrefix(out, "1 feed: ") {
			t.Errorf("refresh %q: %q", key, out)
		}
	}

	if out := h.ok("remove", "World Desk"); !strings.Contains(out, "World Desk") || !strings.Contains(out, srv.URL+"/world.rss") {
		t.Errorf("remove by the feed's own title: %q", out)
	}
	h.ok("remove", science)
	h.ok("remove", "my tech")
	if urls := h.read("urls"); strings.Contains(urls, srv.URL) {
		t.Errorf("urls file after removing all three:\n%s", urls)
	}
	if feeds := h.feeds(); len(feeds) != 0 {
		t.Errorf("feeds left: %+v", feeds)
	}
}

// TestATitleTwoFeedsShareNamesNeither: two feeds called World Desk; picking
// the first one would remove or refresh a feed the user did not mean.
func TestATitleTwoFeedsShareNamesNeither(t *testing.T) {
	srv := fixtureServer(t)
	urls := srv.URL + "/world.rss\n" + srv.URL + "/posts.rss\n"
	h := newHome(t, urls)
	h.ok("refresh")
	for _, args := range [][]string{{"remove", "World Desk"}, {"refresh", "World Desk"}, {"list", "--feed", "World Desk"}} {
		line := oneLine(t, args[0], h.fails(args...))
		if !strings.Contains(line, "2 feeds") || !strings.Contains(line, "ID") {
			t.Errorf("%s: %q, want it to say two feeds have the title and to ask for an ID", strings.Join(args, " "), line)
		}
	}
	if h.read("urls") != urls {
		t.Error("an ambiguous remove changed the urls file")
	}
}

// TestStarterListOnlyWhenNoFeedsAreGiven: import (or add) into a fresh home
// also subscribed the ten starter feeds. The starter list is for a user who
// opens byline with no feed list; one who is giving it feeds gets only those.
func TestStarterListOnlyWhenNoFeedsAreGiven(t *testing.T) {
	srv := fixtureServer(t)
	opml := `<opml version="2.0"><body><outline text="W" xmlUrl="` + srv.URL + `/world.rss"/></body></opml>`
	for _, tc := range []struct {
		name, urls string
		args       func(h *home) []string
	}{
		{"import", srv.URL + "/world.rss \"~W\"\n", func(h *home) []string { h.write("in.opml", opml); return []string{"import", h.dir + "/in.opml"} }},
		{"add", srv.URL + "/world.rss\n", func(h *home) []string { return []string{"add", srv.URL + "/world.rss"} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHome(t, "")
			r := h.run(tc.args(h)...)
			if r.code != 0 || strings.Contains(r.stderr, "starter") {
				t.Fatalf("%s into a fresh home: exit %d\n%s%s", tc.name, r.code, r.stdout, r.stderr)
			}
			if urls := h.read("urls"); urls != tc.urls {
				t.Errorf("urls file after %s into a fresh home:\n%s", tc.name, urls)
			}
			if feeds := h.feeds(); len(feeds) != 1 {
				t.Errorf("feeds after %s into a fresh home: %d", tc.name, len(feeds))
			}
		})
	}

	h := newHome(t, "")
	h.fails("remove", "World Desk")
	h.ok("export")
	if _, err := os.Stat(filepath.Join(h.dir, "urls")); err == nil {
		t.Error("remove or export in a fresh home wrote the starter list")
	}
	if r := h.run("list"); r.code != 0 || !strings.Contains(r.stderr, "starter list") || !strings.Contains(h.read("urls"), "byline:welcome") {
		t.Errorf("list in a fresh home: exit %d, %q; want the starter list written and said so", r.code, r.stderr)
	}
}

// TestExportGivesOtherReadersWhatTheCacheKnows: export wrote the URL as the
// title of a feed without a ~ rename (the cache knows its title), dropped
// the site's address (htmlUrl) and exported byline:welcome, which no other
// reader can fetch.
func TestExportGivesOtherReadersWhatTheCacheKnows(t *testing.T) {
	srv := fixtureServer(t)
	h := newHome(t, srv.URL+"/world.rss news\n"+srv.URL+`/tech.atom "~My Tech"`+"\nbyline:welcome\n")
	h.ok("refresh")
	var doc struct {
		Outlines []struct {
			Text    string `xml:"text,attr"`
			Title   string `xml:"title,attr"`
			XMLURL  string `xml:"xmlUrl,attr"`
			HTMLURL string `xml:"htmlUrl,attr"`
		} `xml:"body>outline"`
	}
	out := h.ok("export")
	// Flatten folders: decode every outline, wherever it sits.
	flat := regexp.MustCompile(`<outline[^>]*xmlUrl[^>]*>`).FindAllString(out, -1)
	if err := xml.Unmarshal([]byte("<opml><body>"+strings.Join(flat, "</outline>")+"</outline></body></opml>"), &doc); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, o := range doc.Outlines {
		got[strings.TrimPrefix(o.XMLURL, srv.URL)] = o.Text + " | " + o.Title + " | " + o.HTMLURL
	}
	want := map[string]string{
		"/world.rss": "World Desk | World Desk | http://world.example/",
		"/tech.atom": "My Tech | My Tech | http://tech.example/",
	}
	if !maps.Equal(got, want) {
		t.Errorf("exported outlines (text | title | htmlUrl):\n%v\nwant\n%v\n%s", got, want, out)
	}
}
