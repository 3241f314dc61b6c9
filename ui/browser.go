package ui

import (
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// terminalBrowsers take over the terminal, so byline hands it to them and
// resumes when they exit, instead of starting them in the background.
var terminalBrowsers = []string{"w3m", "lynx", "elinks", "links", "links2", "browsh", "carbonyl"}

// browserCommand builds the command that opens link: the configured
// browser, else $BROWSER, else the operating system's opener. The command
// line is split on spaces and never given to a shell. As in newsboat, %u
// in an argument is the URL and %t the title (%s, the $BROWSER custom, is
// the URL too), replaced inside that one argument; a command without %u
// or %s gets the URL as its last argument. Only http and https URLs are
// opened, so a page cannot make byline run a file: or custom-scheme handler.
func browserCommand(configured, envBrowser, goos, link, title string) (cmd *exec.Cmd, interactive bool, err error) {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false, fmt.Errorf("not opening %q: only http and https links open in a browser", link)
	}
	line := configured
	if line == "" {
		// $BROWSER may list several commands separated by colons; take the first.
		line, _, _ = strings.Cut(envBrowser, ":")
	}
	args := strings.Fields(line)
	if len(args) == 0 {
		args = osOpener(goos)
	}
	if len(args) == 0 {
		return nil, false, errors.New("no browser: set browser in config.toml or $BROWSER")
	}
	// One pass per argument: a title holding "%u" stays as it is.
	fill := strings.NewReplacer("%u", link, "%s", link, "%t", title)
	placed := false
	for i, a := range args[1:] {
		placed = placed || strings.Contains(a, "%u") || strings.Contains(a, "%s")
		args[i+1] = fill.Replace(a)
	}
	if !placed {
		args = append(args, link)
	}
	name := strings.TrimSuffix(filepath.Base(args[0]), ".exe")
	return exec.Command(args[0], args[1:]...), slices.Contains(terminalBrowsers, name), nil
}

func osOpener(goos string) []string {
	switch goos {
	case "darwin":
		return []string{"open"}
	case "windows":
		return []string{"rundll32", "url.dll,FileProtocolHandler"}
	case "android", "ios", "js", "wasip1":
		return nil
	}
	return []string{"xdg-open"}
}
