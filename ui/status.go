package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
)

// refreshState follows a running refresh.
type refreshState struct {
	running bool
	last    refresh.Progress
	// networkFailures counts feeds that failed because no connection
	// could be made; when every fetched feed did, byline is offline.
	networkFailures int
	// err is why the refresh stopped early: the cache failed, not a feed.
	err error
	// step is what an account's sync is doing, for the status line;
	// accounts are the syncs that ended.
	step     string
	accounts []refresh.AccountResult
	// auto is set for a refresh the reader started on its own (reload).
	auto bool
	// newFeeds counts the feeds that brought new articles.
	newFeeds int
}

// track counts one finished feed and reports whether it reached its
// server, or notes a step or the end of an account's sync.
func (r *refreshState) track(p refresh.Progress) {
	if p.Err != nil {
		r.err = p.Err
		return
	}
	if a := p.Account; a != nil {
		r.step = ""
		if a.Done {
			r.accounts = append(r.accounts, *a)
		} else {
			r.step = a.Name + ": " + a.Step
		}
		return
	}
	r.last = p
	if p.Last.New > 0 {
		r.newFeeds++
	}
	if p.Last.Result.Status == feed.StatusFailed && isNetworkDown(p.Last.Result.Err) {
		r.networkFailures++
	}
}

// offline says whether the refresh found the network unreachable: it
// fetched something, and every fetch failed to connect.
func (r *refreshState) offline() bool {
	fetched := r.last.OK + r.last.NotModified + r.last.Failed
	return fetched > 0 && r.networkFailures == fetched
}

// accountsOffline says whether an account's server could not be reached,
// and how many marks wait for such servers.
func (r *refreshState) accountsOffline() (offline bool, waiting int) {
	for _, a := range r.accounts {
		if a.Offline() {
			offline = true
			waiting += a.Waiting
		}
	}
	return offline, waiting
}

// isNetworkDown tells failures to connect at all (no route, no DNS,
// refused) from failures of one server.
func isNetworkDown(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	// A dial failure may sit under another OpError (a proxy's, say).
	for err != nil {
		var opErr *net.OpError
		if !errors.As(err, &opErr) {
			return false
		}
		if opErr.Op == "dial" {
			return true
		}
		err = opErr.Err
	}
	return false
}

// statusLine is the bottom line: where the user is, messages and errors,
// refresh progress, the offline marker and counts.
type statusLine struct {
	message string
	isError bool
	offline bool
	waiting int            // marks waiting for a server that could not be reached
	bar     progress.Model // drawn with ViewAs: no animation, no ticks
}

func (s *statusLine) info(msg string) { s.message, s.isError = oneLine(msg), false }

func (s *statusLine) fail(err error) { s.message, s.isError = oneLine(err.Error()), true }

func (s *statusLine) clear() { s.message, s.isError = "", false }

func (s *statusLine) setBar(bar progress.Model) { s.bar = bar }

func (s *statusLine) setOffline(offline bool) { s.offline = offline }

// setWaiting is how many marks wait for an account's server.
func (s *statusLine) setWaiting(n int) { s.waiting = n }

// confirmation is a yes/no question in the status line.
type confirmation struct {
	question string
	yes      tea.Cmd // run on "y"
}

// answer returns the command to run for "y"; done is false for keys that
// answer nothing.
func (c *confirmation) answer(msg tea.KeyPressMsg) (yes tea.Cmd, done bool) {
	switch strings.ToLower(msg.String()) {
	case "y":
		return c.yes, true
	case "n", "esc", "q":
		return nil, true
	}
	return nil, false
}

// statusParts is what the model knows for the status line.
type statusParts struct {
	where   string
	unread  int
	scroll  string // the reader's position, "" elsewhere
	refresh refreshState
	hint    string // the help key, e.g. "? help"
	// link is a URL to show after where, cut in its middle to fit.
	link string
	// maxLines bounds the lines a long message may take.
	maxLines int
}

func (s *statusLine) View(st *Styles, width int, parts statusParts) string {
	var right []string
	if parts.refresh.running && parts.refresh.step != "" {
		right = append(right, st.Status.Render(parts.refresh.step))
	}
	if parts.refresh.running && parts.refresh.last.Total > 0 {
		p := parts.refresh.last
		right = append(right, s.bar.ViewAs(float64(p.Done)/float64(p.Total))+
			st.Status.Render(fmt.Sprintf(" %d/%d", p.Done, p.Total)))
	} else if parts.refresh.running {
		right = append(right, st.Status.Render("refreshing…"))
	}
	if s.offline && s.waiting > 0 {
		right = append(right, st.Offline.Render("offline: "+news.Count(s.waiting, "change")+" waiting"))
	} else if s.offline {
		right = append(right, st.Offline.Render("offline"))
	}
	if s.message == "" {
		// A message needs the room more than the counts do.
		right = append(right, st.Status.Render(fmt.Sprintf("%d unread", parts.unread)))
		if parts.scroll != "" {
			right = append(right, st.Status.Render(parts.scroll))
		}
		if parts.hint != "" {
			right = append(right, st.Status.Render(parts.hint))
		}
	}
	sep := st.Status.Render(" │ ")
	rightView := strings.Join(right, sep) + st.Status.Render(" ")
	leftWidth := width - ansi.StringWidth(rightView)
	if leftWidth < 8 { // too narrow for both: the message wins
		rightView, leftWidth = "", width
	}
	left, style := parts.where, st.Status
	if s.message != "" {
		left = s.message
		if s.isError {
			style = st.Error.Inherit(st.Status)
		}
		if ansi.StringWidth(" "+left) > leftWidth {
			return s.wrapped(style, width, parts.maxLines, rightView)
		}
	}
	if s.message == "" && parts.link != "" {
		left += article.FitURL(parts.link, leftWidth-2-ansi.StringWidth(left)) // a space before the counts
	}
	return style.Render(fitWidth(" "+left, leftWidth)) + rightView
}

// wrapped shows a message too long for one line over as many lines as
// it takes, up to maxLines, with right (the refresh and offline markers)
// at the end of the last line, or under it.
func (s *statusLine) wrapped(style lipgloss.Style, width, maxLines int, right string) string {
	lines := strings.Split(ansi.Wrap(s.message, max(1, width-2), " /"), "\n")
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] = ansi.Truncate(lines[maxLines-1], max(1, width-3), "") + "…"
	}
	last := len(lines) - 1
	rightWidth := ansi.StringWidth(right)
	for i, l := range lines {
		switch {
		case i < last:
			lines[i] = style.Render(fitWidth(" "+l, width))
		case ansi.StringWidth(" "+l) < width-rightWidth:
			lines[i] = style.Render(fitWidth(" "+l, width-rightWidth)) + right
		default:
			lines[i] = style.Render(fitWidth(" "+l, width))
			if strings.TrimSpace(ansi.Strip(right)) != "" {
				lines = append(lines, style.Render(fitWidth("", width-rightWidth))+right)
			}
		}
	}
	return strings.Join(lines, "\n")
}
