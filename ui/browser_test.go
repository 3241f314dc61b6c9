package ui

import (
	"slices"
	"testing"
)

// TestBrowserPlaceholdersAreWholeArguments: browser = "cmd %u" passed a
// literal %u and then the URL. newsboat's %u (the URL) and %t (the title)
// are replaced inside the argument they are in, never splitting it and
// never through a shell; without %u (or %s) the URL goes last.
func TestBrowserPlaceholdersAreWholeArguments(t *testing.T) {
	script, argvFile := fakeBrowser(t)
	link := "https://example.com/a b?x=%t&y=%u"
	title := `Rail strike "talks" resume; $(touch x) %u`
	for _, c := range []struct {
		configured string
		want       []string
	}{
		{script + " %u", []string{link}},
		{script + " --title %t %u", []string{"--title", title, link}},
		{script + " --url=%u --name=[%t]", []string{"--url=" + link, "--name=[" + title + "]"}},
		{script + " --new-tab=%s", []string{"--new-tab=" + link}},
		{script + " --new-window", []string{"--new-window", link}},
		{script + " --title %t", []string{"--title", title, link}},
	} {
		msg := openInBrowser(link, title, c.configured, func(string) string { return "" })()
		if done, ok := msg.(browserDoneMsg); !ok || done.err != nil {
			t.Fatalf("%q: %#v", c.configured, msg)
		}
		if argv := waitForArgv(t, argvFile); !slices.Equal(argv, c.want) {
			t.Errorf("browser = %q: the browser got %q, want %q", c.configured, argv, c.want)
		}
	}
}
