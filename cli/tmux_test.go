package cli_test

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// terminal is a program running in a window of a private tmux server (a
// socket of its own, so a user's tmux is never touched), driven by keys
// and read from its screen as a user would.
type terminal struct {
	t      testing.TB
	socket string
	env    []string
}

var terminals atomic.Int64

// needTools skips the test when a program it drives is not installed,
// except in CI, which has them.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
}

// startTerminal runs argv in a width×height window with env as its whole
// environment.
func startTerminal(t testing.TB, env []string, width, height int, argv ...string) *terminal {
	t.Helper()
	term := &terminal{t: t, socket: fmt.Sprintf("byline-test-%d-%d", os.Getpid(), terminals.Add(1)), env: env}
	t.Cleanup(func() { exec.Command("tmux", "-L", term.socket, "kill-server").Run() })
	term.tmux(append([]string{"new-session", "-d", "-s", "t", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height)}, argv...)...)
	return term
}

func (term *terminal) tmux(args ...string) string {
	term.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-L", term.socket}, args...)...)
	cmd.Env = term.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (term *terminal) screen() []string {
	term.t.Helper()
	return strings.Split(term.tmux("capture-pane", "-p", "-t", "t"), "\n")
}

// waitFor polls the screen until a line of it says text.
func (term *terminal) waitFor(text string) []string {
	term.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		lines := term.screen()
		for _, line := range lines {
			if strings.Contains(line, text) {
				return lines
			}
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("the screen never showed %q:\n%s", text, strings.Join(lines, "\n"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// keys sends tmux key names: "Enter", "Down", "q".
func (term *terminal) keys(keys ...string) {
	term.t.Helper()
	term.tmux(append([]string{"send-keys", "-t", "t"}, keys...)...)
}

// typeText sends text as it is, each character a key.
func (term *terminal) typeText(text string) {
	term.t.Helper()
	term.tmux("send-keys", "-t", "t", "-l", text)
}

// waitExit waits for the program to end, which ends its window.
func (term *terminal) waitExit() {
	term.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for exec.Command("tmux", "-L", term.socket, "has-session", "-t", "t").Run() == nil {
		if time.Now().After(deadline) {
			term.t.Fatalf("the program did not end:\n%s", strings.Join(term.screen(), "\n"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
