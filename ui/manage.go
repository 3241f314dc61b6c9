package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/news"
)

// The feed list, managed from the feeds screen: a adds a feed (a feed's
// URL, or a page's, whose feed is found), then asks for its tags; d
// removes the selected feed or query feed, asking first; E edits its tags
// and name. The tags are written as on a line of the urls file: words,
// "quoted words" and "~A name" for the title.

// promptStep is what the prompt asks for.
type promptStep int

const (
	askFeedURL  promptStep = iota // a: the URL
	askNewTags                    // a: the tags of the URL just given
	askEditTags                   // E: the tags and name of row
)

// feedPrompt is the one-line question the feed list keys ask in the
// status line.
type feedPrompt struct {
	input  textinput.Model
	active bool
	step   promptStep
	url    string  // askNewTags: the URL given
	row    feedRow // askEditTags: the row being edited
}

func newFeedPrompt() feedPrompt {
	in := textinput.New()
	in.CharLimit = 2000
	return feedPrompt{input: in}
}

func (p *feedPrompt) ask(step promptStep, prompt, value string) tea.Cmd {
	p.active, p.step = true, step
	p.input.Prompt = prompt
	p.input.SetValue(value)
	p.input.CursorEnd()
	return p.input.Focus()
}

func (p *feedPrompt) close() {
	p.active = false
	p.input.Blur()
}

func (p *feedPrompt) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

func (p *feedPrompt) setWidth(width int) { p.input.SetWidth(max(1, width-len(p.input.Prompt)-2)) }

func (p *feedPrompt) setStyles(st textinput.Styles) { p.input.SetStyles(st) }

func (p *feedPrompt) View(width int) string { return fitWidth(p.input.View(), width) }

// errNoFeedList is what the feed list keys say when the reader was started
// without one (a test, an embedding).
var errNoFeedList = errors.New("the feed list cannot be edited here")

// startAddFeed asks for the URL of the feed to add.
func (m *Model) startAddFeed() tea.Cmd {
	if m.deps.FeedList == nil {
		m.status.fail(errNoFeedList)
		return nil
	}
	return m.prompt.ask(askFeedURL, "Add the feed at (a feed's or a page's URL): ", "")
}

// startEditFeed looks up the selected row's line of the feed list, to ask
// for its tags and name as they are written there.
func (m *Model) startEditFeed() tea.Cmd {
	row, ok := m.feeds.selected()
	switch {
	case m.deps.FeedList == nil:
		m.status.fail(errNoFeedList)
		return nil
	case !ok || !row.subscription():
		m.status.info("Choose a feed or query feed to edit")
		return nil
	case row.synced():
		m.status.info(fmt.Sprintf("The tags and name of %s are %s's: change them on its server", oneLine(row.title), oneLine(row.feed.Account)))
		return nil
	}
	list, ctx := m.deps.FeedList, m.ctx
	return func() tea.Msg {
		sub, err := list.Lookup(ctx, row.feed.URL)
		return feedLookedUpMsg{row: row, sub: sub, err: err}
	}
}

// feedLookedUpMsg carries the line of the feed list that E edits.
type feedLookedUpMsg struct {
	row feedRow
	sub news.Subscription
	err error
}

func (m *Model) editLookedUp(msg feedLookedUpMsg) tea.Cmd {
	if msg.err != nil {
		m.status.fail(msg.err)
		return nil
	}
	title := msg.sub.Title
	if msg.sub.Query != "" && strings.HasPrefix(msg.sub.URL, "query:"+title+":") {
		title = "" // named by its query: token, not by a ~name
	}
	m.prompt.row = msg.row
	return m.prompt.ask(askEditTags, "Tags and \"~name\" of "+oneLine(msg.row.title)+": ", config.FormatTagLine(title, msg.sub.Tags))
}

// askRemoveFeed asks whether to remove the selected feed or query feed.
func (m *Model) askRemoveFeed() {
	row, ok := m.feeds.selected()
	switch {
	case m.deps.FeedList == nil:
		m.status.fail(errNoFeedList)
		return
	case !ok || !row.subscription():
		m.status.info("Choose a feed or query feed to remove")
		return
	}
	question := fmt.Sprintf("Remove %s? Its starred articles stay.", oneLine(row.title))
	switch {
	case row.kind == rowQuery:
		question = fmt.Sprintf("Remove the query feed %s? No article goes with it.", oneLine(row.title))
	case row.synced():
		question = fmt.Sprintf("Unsubscribe from %s on %s's server? Its starred articles stay.", oneLine(row.title), oneLine(row.feed.Account))
	}
	m.confirm = &confirmation{question: question, yes: removeFeed(m.ctx, m.deps.FeedList, row.title, row.feed)}
}

// promptKey edits the prompt; enter answers it, esc drops it.
func (m *Model) promptKey(msg tea.KeyPressMsg) tea.Cmd {
	p := &m.prompt
	switch msg.String() {
	case "esc":
		p.close()
		m.status.info("Nothing changed")
		return nil
	case "enter":
	default:
		return p.update(msg)
	}
	answer := strings.TrimSpace(p.input.Value())
	p.close()
	switch p.step {
	case askFeedURL:
		if answer == "" {
			m.status.info("Nothing added")
			return nil
		}
		p.url = answer
		return p.ask(askNewTags, "Tags (and \"~name\") for "+oneLine(answer)+": ", "")
	case askNewTags:
		title, tags := config.ParseTagLine(answer)
		m.status.info("Adding " + oneLine(p.url) + "…")
		return addFeed(m.ctx, m.deps.FeedList, p.url, title, tags)
	case askEditTags:
		title, tags := config.ParseTagLine(answer)
		return editFeed(m.ctx, m.deps.FeedList, p.row.feed.URL, title, tags)
	}
	return nil
}

// feedListChangedMsg says how an edit of the feed list went.
type feedListChangedMsg struct {
	done  string    // what to say
	added news.Feed // set by a: the feed to fetch now
	err   error
}

func addFeed(ctx context.Context, list FeedList, target, title string, tags []string) tea.Cmd {
	return func() tea.Msg {
		f, err := list.Add(ctx, target, title, tags)
		if err != nil {
			return feedListChangedMsg{err: err}
		}
		return feedListChangedMsg{done: "Subscribed to " + f.URL + "; fetching it", added: f}
	}
}

func removeFeed(ctx context.Context, list FeedList, title string, f news.Feed) tea.Cmd {
	return func() tea.Msg {
		if err := list.Remove(ctx, f); err != nil {
			return feedListChangedMsg{err: err}
		}
		if f.Account != "" {
			return feedListChangedMsg{done: fmt.Sprintf("Unsubscribed from %s on %s", title, oneLine(f.Account))}
		}
		return feedListChangedMsg{done: "Removed " + title}
	}
}

func editFeed(ctx context.Context, list FeedList, url, title string, tags []string) tea.Cmd {
	return func() tea.Msg {
		if err := list.Edit(ctx, url, title, tags); err != nil {
			return feedListChangedMsg{err: err}
		}
		return feedListChangedMsg{done: "Saved the tags and name of " + url}
	}
}

// feedListChanged shows what an edit did, the feeds as they are now, and
// fetches a feed just added.
func (m *Model) feedListChanged(msg feedListChangedMsg) tea.Cmd {
	if msg.err != nil {
		m.status.fail(msg.err)
		return nil
	}
	m.status.info(msg.done)
	cmds := []tea.Cmd{m.reloadFeeds()}
	if msg.added.ID != 0 {
		m.feeds.selectWhenListed(msg.added.ID)
		cmds = append(cmds, m.beginRefresh([]int64{msg.added.ID}))
	}
	return tea.Batch(cmds...)
}
