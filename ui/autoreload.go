package ui

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/news"
)

// Auto-reload: with reload-every (or a feed's own reload) set, the reader
// looks once a minute for the feeds whose last refresh is that old and
// refreshes them in the background. Nothing moves: the cursor stays on
// its article and the list on its lines; the status line says what came.
// After any refresh that brought news, notify and notify-command tell
// the desktop: "12 new in 4 feeds".

// reloadCheck is how often the reader looks for feeds due: the shortest
// reload allowed is a minute.
const reloadCheck = time.Minute

// reloadTickMsg is the minute's look at what is due.
type reloadTickMsg struct{}

// autoReloads says whether any feed reloads on its own.
func (m *Model) autoReloads() bool {
	if m.settings.ReloadEvery > 0 {
		return true
	}
	for _, own := range m.settings.Feeds {
		if own.Reload != nil && *own.Reload > 0 {
			return true
		}
	}
	return false
}

func (m *Model) scheduleReload() tea.Cmd {
	if !m.autoReloads() {
		return nil
	}
	tick := m.deps.Tick
	if tick == nil {
		tick = tea.Tick
	}
	return tick(reloadCheck, func(time.Time) tea.Msg { return reloadTickMsg{} })
}

// dueFeeds are the feeds whose reload interval has passed since their
// last refresh (or that were never refreshed).
func (m *Model) dueFeeds() []int64 {
	now := m.now()
	var ids []int64
	for _, f := range m.feeds.feeds {
		every := m.settings.ForFeed(f.URL).Reload
		if every > 0 && (f.LastAttempt.IsZero() || now.Sub(f.LastAttempt) >= every) {
			ids = append(ids, f.ID)
		}
	}
	return ids
}

// reloadDue refreshes the feeds that are due, unless a refresh is
// running (they are due still at the next look), and looks again in a
// minute.
func (m *Model) reloadDue() tea.Cmd {
	next := m.scheduleReload()
	ids := m.dueFeeds()
	if len(ids) == 0 || m.refresh.running || m.deps.Refresher == nil {
		return next
	}
	m.refresh = refreshState{running: true, auto: true}
	return tea.Batch(next, startRefresh(m.ctx, m.deps.Refresher, ids))
}

// arrived is the summary of a refresh's news: "12 new in 4 feeds", "15
// new in 4 feeds and home" when the account home brought 3.
func arrived(r refreshState) string {
	var where []string
	if r.newFeeds > 0 || r.last.New > 0 {
		where = append(where, news.Count(r.newFeeds, "feed"))
	}
	for _, a := range r.accounts {
		if a.New > 0 {
			where = append(where, a.Name)
		}
	}
	return fmt.Sprintf("%d new in %s", r.newArticles(), strings.Join(where, " and "))
}

// newArticles counts what the refresh brought: the feeds' new articles
// and the accounts'.
func (r refreshState) newArticles() int {
	n := r.last.New
	for _, a := range r.accounts {
		n += a.New
	}
	return n
}

// notify tells the desktop what a refresh brought, as notify and
// notify-command say.
func (m *Model) notify(summary string) tea.Cmd {
	var cmds []tea.Cmd
	if m.settings.Notify == config.NotifyOSC {
		cmds = append(cmds, tea.Raw(oscNotification(summary, m.deps.Getenv("TMUX") != "")))
	}
	if argv := m.settings.NotifyCommand; len(argv) > 0 {
		cmds = append(cmds, runNotifyCommand(argv, summary))
	}
	return tea.Batch(cmds...)
}

// oscNotification is a desktop notification as terminals take it: OSC 9
// (iTerm2, kitty, WezTerm, foot, Windows Terminal) and OSC 777 (rxvt,
// VTE); each terminal ignores the one it does not know. Inside tmux they
// are wrapped for it to pass on (it needs allow-passthrough on).
func oscNotification(summary string, inTmux bool) string {
	text := strings.NewReplacer("\x07", "", "\x1b", "", ";", ",").Replace(oneLine(summary))
	seqs := []string{"\x1b]9;byline: " + text + "\x07", "\x1b]777;notify;byline;" + text + "\x07"}
	if inTmux {
		for i, s := range seqs {
			seqs[i] = "\x1bPtmux;" + strings.ReplaceAll(s, "\x1b", "\x1b\x1b") + "\x1b\\"
		}
	}
	return strings.Join(seqs, "")
}

// notifiedMsg says whether notify-command could be started.
type notifiedMsg struct{ err error }

// runNotifyCommand starts notify-command with the summary as its last
// argument, without a shell, and does not wait for it.
func runNotifyCommand(argv []string, summary string) tea.Cmd {
	return func() tea.Msg {
		program, err := expandHome(argv[0])
		if err != nil {
			return notifiedMsg{err: err}
		}
		cmd := exec.Command(program, append(slices.Clone(argv[1:]), summary)...)
		if err := cmd.Start(); err != nil {
			return notifiedMsg{err: fmt.Errorf("notify-command: %w", err)}
		}
		go func() { _ = cmd.Wait() }() // reap it; it says nothing byline needs
		return notifiedMsg{}
	}
}
