package ui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/bylinehq/byline/news"
)

// feedInfo is the panel e opens: how a feed's last refresh went, every
// word of it, wrapped to the screen.
type feedInfo struct {
	active     bool
	paragraphs []infoLine
	lines      []infoLine // paragraphs wrapped to width
	scroller
	width int
}

type infoLine struct {
	text string
	kind infoKind
}

type infoKind int

const (
	infoText infoKind = iota
	infoTitle
	infoNotice
)

// open fills the panel for fd, as of now.
func (fi *feedInfo) open(fd news.Feed, now time.Time) {
	fi.active = true
	fi.paragraphs = nil
	add := func(kind infoKind, text string) {
		fi.paragraphs = append(fi.paragraphs, infoLine{text: text, kind: kind})
	}
	// The title is the URL until the feed says otherwise: name it once.
	add(infoTitle, oneLine(fd.Title))
	if fd.Title != fd.URL {
		add(infoText, oneLine(fd.URL))
	}
	if fd.MovedTo != "" {
		add(infoNotice, fmt.Sprintf("Moved for good (HTTP 301) to %s: byline follows it, but put the new address in your urls file.", oneLine(fd.MovedTo)))
	}
	if fd.Gone {
		add(infoNotice, "Gone (HTTP 410): the server says this feed will not come back. Remove it from your urls file.")
	}
	switch when := ago(now, fd.LastAttempt); {
	case fd.LastError != "" && when != "":
		add(infoNotice, "The last refresh failed ("+when+"): "+failureReason(fd))
	case fd.LastError != "":
		add(infoNotice, "The last refresh failed: "+failureReason(fd))
	}
	switch {
	case !fd.LastSuccess.IsZero():
		add(infoText, "Last refreshed "+ago(now, fd.LastSuccess)+".")
	case fd.LastAttempt.IsZero():
		add(infoText, "Not refreshed yet.")
	default:
		add(infoText, "Never refreshed successfully.")
	}
	if fd.RetryAfter.After(now) {
		add(infoText, "The server asked byline to wait until "+fd.RetryAfter.Local().Format("15:04")+" before fetching it again.")
	}
	add(infoText, fmt.Sprintf("%s, %d unread.", news.Count(fd.Total, "article"), fd.Unread))
	fi.cursor, fi.top = 0, 0
	fi.wrap()
}

// failureReason is the feed's last error without the "fetch URL: " it
// starts with, since the panel names the URL already.
func failureReason(fd news.Feed) string {
	return oneLine(strings.TrimPrefix(fd.LastError, "fetch "+fd.URL+": "))
}

func (fi *feedInfo) close() { fi.active = false }

func (fi *feedInfo) setSize(width, height int) {
	fi.width, fi.height = width, max(1, height)
	fi.wrap()
}

func (fi *feedInfo) wrap() {
	fi.lines = fi.lines[:0]
	w := max(1, fi.width-2*len(margin))
	for i, p := range fi.paragraphs {
		if i > 0 && p.kind != infoText || i > 1 {
			fi.lines = append(fi.lines, infoLine{})
		}
		// Wrap breaks long words (URLs) too, so no line is too wide.
		for _, l := range strings.Split(ansi.Wrap(p.text, w, " /"), "\n") {
			fi.lines = append(fi.lines, infoLine{text: l, kind: p.kind})
		}
	}
}

// handleKey scrolls a panel too long for the screen; any other key
// closes it.
func (fi *feedInfo) handleKey(msg tea.KeyPressMsg, k *KeyMap) {
	last := max(0, len(fi.lines)-fi.height)
	if to, ok := moveKey(msg, k, fi.top, last, fi.height); ok {
		fi.top = to
		return
	}
	fi.close()
}

func (fi *feedInfo) View(st *Styles) string {
	shown := make([]string, fi.height)
	for line := range shown {
		i := fi.top + line
		switch {
		case i < len(fi.lines):
			style := map[infoKind]func(...string) string{
				infoText: st.Normal.Render, infoTitle: st.Title.Render, infoNotice: st.Notice.Render,
			}[fi.lines[i].kind]
			shown[line] = margin + style(fi.lines[i].text)
		case i == len(fi.lines)+1:
			shown[line] = margin + st.Dim.Render("Any key closes this.")
		}
	}
	return strings.Join(shown, "\n")
}
