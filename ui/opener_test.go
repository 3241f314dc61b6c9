package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// fakeBrowser writes a shell script that records its arguments, one per
// NUL-terminated record, to a file. It returns the script and the file.
func fakeBrowser(t *testing.T) (script, argvFile string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake browser is a shell script")
	}
	dir := t.TempDir()
	script = filepath.Join(dir, "fake-browser")
	argvFile = filepath.Join(dir, "argv")
	body := "#!/bin/sh\nprintf '%s\\0' \"$@\" > " + shellQuote(argvFile+".tmp") + " && mv " +
		shellQuote(argvFile+".tmp") + " " + shellQuote(argvFile) + "\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return script, argvFile
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// waitForArgv waits for the fake browser's record and returns the
// arguments it was given, without the program name.
func waitForArgv(t *testing.T, argvFile string) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(argvFile)
		if err == nil {
			os.Remove(argvFile)
			return strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00")
		}
		if time.Now().After(deadline) {
			t.Fatal("the fake browser never ran")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestOpenerPassesHostileURLsAsOneArgument starts a real program as the
// browser, the way byline does, with URLs full of shell syntax: each must
// arrive as exactly one argument, byte for byte, and no shell may run it.
func TestOpenerPassesHostileURLsAsOneArgument(t *testing.T) {
	script, argvFile := fakeBrowser(t)
	canary := filepath.Join(t.TempDir(), "pwned")
	links := []string{
		"https://example.com/plain",
		"https://example.com/a b  c",
		`https://example.com/"double"/'single'`,
		"https://example.com/$(touch " + canary + ")",
		"https://example.com/`touch " + canary + "`",
		"https://example.com/${IFS}x;touch " + canary + ";|&<>*?~!#",
		"https://example.com/-oProxyCommand=touch%20x",
		"http://example.com/?q=--help&-x=-y",
		"https://example.com/%0A%0D%00%1B",
		"HTTPS://EXAMPLE.COM/upper",
		"https://user:pass@[::1]:8080/x#frag",
		"https://example.com/" + strings.Repeat("long", 2000),
		"https://example.com/ünïcödé/日本語",
	}
	for _, link := range links {
		for _, c := range []struct {
			name, configured, env string
			want                  func(link string) string
		}{
			{"configured", script, "", func(l string) string { return l }},
			{"$BROWSER", "", script + ":/nonexistent/other", func(l string) string { return l }},
			{"placeholder", script + " --new-tab=%s", "", func(l string) string { return "--new-tab=" + l }},
		} {
			msg := openInBrowser(link, "", c.configured, func(k string) string {
				if k == "BROWSER" {
					return c.env
				}
				return ""
			})()
			done, ok := msg.(browserDoneMsg)
			if !ok || done.err != nil {
				t.Fatalf("%s %q: %#v", c.name, link, msg)
			}
			argv := waitForArgv(t, argvFile)
			if len(argv) != 1 || argv[0] != c.want(link) {
				t.Errorf("%s %q: the browser got %d arguments %q", c.name, link, len(argv), argv)
			}
		}
	}
	// A terminal browser is handed the terminal (tea.ExecProcess) rather
	// than started in the background; its command line is built the same way.
	w3m := filepath.Join(filepath.Dir(script), "w3m")
	if err := os.Link(script, w3m); err != nil {
		t.Fatal(err)
	}
	for _, link := range links {
		cmd, interactive, err := browserCommand(w3m+" -o confirm_qq=0", "", runtime.GOOS, link, "")
		if err != nil || !interactive {
			t.Fatalf("w3m %q: interactive=%v err=%v", link, interactive, err)
		}
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		argv := waitForArgv(t, argvFile)
		if len(argv) != 3 || argv[0] != "-o" || argv[1] != "confirm_qq=0" || argv[2] != link {
			t.Errorf("w3m %q: got %q", link, argv)
		}
	}
	if _, err := os.Stat(canary); err == nil {
		t.Fatal("a URL ran a shell command")
	}
}

// TestOpenerRefusesWhatIsNotHTTP checks that nothing but an http(s) URL
// with a host starts the browser, and that the refusal says why.
func TestOpenerRefusesWhatIsNotHTTP(t *testing.T) {
	script, argvFile := fakeBrowser(t)
	for _, link := range []string{
		"",
		" ",
		"javascript:alert(1)",
		"JavaScript:alert(document.cookie)",
		"file:///etc/passwd",
		"file://localhost/etc/passwd",
		"data:text/html,<script>alert(1)</script>",
		"mailto:someone@example.com",
		"-oProxyCommand=touch /tmp/pwned",
		"--help",
		"-https://example.com/",
		" https://example.com/leading-space",
		"https://example.com/new\nline",
		"https://example.com/carriage\rreturn",
		"https://example.com/\x1b]52;c;eA==\x07",
		"https://example.com/nul\x00",
		"ftp://example.com/",
		"ssh://example.com/",
		"vscode://file/etc/passwd",
		"byline:welcome/keys",
		"//example.com/no-scheme",
		"example.com",
		"http://",
		"https:///no-host",
		"http:example.com",
	} {
		msg := openInBrowser(link, "", script, func(string) string { return "" })()
		done, ok := msg.(browserDoneMsg)
		if !ok || done.err == nil {
			t.Errorf("%q: not refused: %#v", link, msg)
			continue
		}
		if !strings.Contains(done.err.Error(), "only http and https") {
			t.Errorf("%q: refused with %q, which does not say why", link, done.err)
		}
		if _, _, err := browserCommand("", "", runtime.GOOS, link, ""); err == nil {
			t.Errorf("browserCommand accepted %q", link)
		}
	}
	// Let a wrongly started browser finish before looking for its record.
	time.Sleep(100 * time.Millisecond)
	if data, err := os.ReadFile(argvFile); err == nil {
		t.Fatalf("the browser ran with %q", bytes.Split(data, []byte{0}))
	}
}

// TestOpenerRefusalReachesTheStatusLine checks that a refused link is
// reported on screen, and harmlessly.
func TestOpenerRefusalReachesTheStatusLine(t *testing.T) {
	f := newFixture(t)
	h := newHarness(t, f.deps(), testSettings(), 100, 24)
	link := "javascript:alert('\x1b]52;c;eA==\x07')"
	h.run(openInBrowser(link, "", "true", func(string) string { return "" }))
	status := h.statusLine()
	if !strings.Contains(status, "only http and https") {
		t.Fatalf("status line %q does not say why the link was refused", status)
	}
	if raw := h.m.View().Content; strings.Contains(raw, "\x1b]52") || strings.Contains(raw, "\x07") {
		t.Fatal("the refusal put an escape sequence on screen")
	}
}
