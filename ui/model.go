// Package ui is byline's terminal interface, built on Bubble Tea v2: a
// feeds screen, an article list and a reader that follows links inside the
// terminal. It is the only package that imports the Charm libraries. All
// I/O happens in commands (cmds.go) through the small interfaces in
// deps.go; Update only changes state and never waits.
//
// The root Model routes. A key goes to what has the focus (keypress.go):
// each view (feeds.go, items.go, reader.go, links.go, search.go, help.go)
// handles its own keys with methods that change only its own state, and
// returns an intent for anything beyond it, which the root carries out
// (actions.go). Command results come back as messages (msgs.go) that the
// root hands to the views they are for (results.go).
package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/sanitize"
)

type screen int

const (
	feedsScreen screen = iota
	articlesScreen
	readerScreen
)

// wideWidth is the terminal width from which the article list and the
// reader sit side by side.
const wideWidth = 120

// doubleClick is the most time between two clicks on one row that opens it.
const doubleClick = 400 * time.Millisecond

// Model is the whole TUI state. It is a value: Update returns the next
// one, and every field a command needs is copied into the command.
type Model struct {
	deps     Deps
	ctx      context.Context
	settings config.Settings
	keys     KeyMap

	palette      palette
	paletteFixed bool // the theme setting or NO_COLOR decided it
	styles       *Styles

	width, height int
	screen        screen

	feeds  feedList
	items  articleList
	reader readerView
	links  linkPicker
	status statusLine

	help    helpScreen
	info    feedInfo
	search  searchBox
	prompt  feedPrompt
	confirm *confirmation

	listGen      int
	renders      *renderCache
	pictures     *pictureState
	feedsLoading bool
	feedsStale   bool // counts changed while they were loading
	// firstFeeds, set by Run, delivers the feeds that started loading
	// before the terminal was set up; Init waits on it instead of
	// starting the load only then.
	firstFeeds tea.Cmd
	refresh    refreshState
	resizeGen  int
	lastClick  click
}

type click struct {
	at   time.Time
	x, y int
}

// New builds the TUI. Invalid [keys] bindings in settings keep their
// defaults and are reported in the status line (Run refuses them instead).
func New(deps Deps, settings config.Settings) Model {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Getenv == nil {
		deps.Getenv = os.Getenv
	}
	if deps.Renderer == nil {
		deps.Renderer = renderFunc(article.RenderPictures)
	}
	keys, keyErr := NewKeyMap(settings.Keys)
	pal, fixed := choosePalette(settings.Theme, deps.Getenv("NO_COLOR") != "", deps.Getenv("COLORFGBG"))
	m := Model{
		deps:         deps,
		ctx:          context.Background(),
		settings:     settings,
		keys:         keys,
		palette:      pal,
		paletteFixed: fixed,
		search:       newSearchBox(),
		prompt:       newFeedPrompt(),
		renders:      newRenderCache(),
		pictures:     newPictureState(settings.Images, deps.Getenv),
		reader:       readerView{at: -1},
		links:        newLinkPicker(),
		items:        articleList{source: listSource{title: "All articles"}, drawn: map[rowLook]string{}},
	}
	m.applyStyles()
	if keyErr != nil {
		m.status.fail(keyErr)
	} else if len(deps.Warnings) > 0 {
		m.status.fail(errors.New(strings.Join(deps.Warnings, "; ")))
	}
	return m
}

// Run shows the TUI until the user quits or ctx ends.
func Run(ctx context.Context, deps Deps, settings config.Settings) error {
	if _, err := NewKeyMap(settings.Keys); err != nil {
		return err
	}
	m := New(deps, settings)
	m.ctx = ctx
	// The first frame waits for the feeds; they load while the program
	// sets the terminal up, which took as long as the query (7 ms of a
	// 1,000-feed cache's 60 ms start).
	m.firstFeeds = started(loadFeeds(ctx, deps.Store, deps.FeedList))
	// lipgloss detected the profile of the same stdout and environment
	// when the process started; the program detecting it again ran
	// `tmux info` a second time inside tmux.
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithColorProfile(lipgloss.Writer.Profile))
	_, err := p.Run()
	if err != nil {
		return fmt.Errorf("tui: %w", err)
	}
	return nil
}

// applyStyles builds the styles for the palette and hands them to the
// components that keep their own.
func (m *Model) applyStyles() {
	st := NewStyles(m.palette)
	m.styles = &st
	m.search.setStyles(st.Input)
	m.prompt.setStyles(st.Input)
	m.links.setStyles(st.Input)
	m.status.setBar(progress.New(st.Progress...))
	m.layout()
}

func (m Model) now() time.Time { return m.deps.Now() }

// Init draws from the cache first; the refresh on start and the question
// about the terminal's background run alongside.
func (m Model) Init() tea.Cmd {
	first := m.firstFeeds
	if first == nil {
		first = loadFeeds(m.ctx, m.deps.Store, m.deps.FeedList)
	}
	cmds := []tea.Cmd{first}
	if !m.paletteFixed {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	if m.settings.RefreshOnStart && m.deps.Refresher != nil {
		cmds = append(cmds, startRefresh(m.ctx, m.deps.Refresher, nil))
	}
	cmds = append(cmds, m.pictures.queries())
	cmds = append(cmds, m.scheduleReload())
	return tea.Batch(cmds...)
}

// Update handles a message, then brings the pictures the terminal holds
// in line with the screen (see pictureState).
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case overlayDueMsg:
		return m, m.pictures.due(msg)
	case tea.WindowSizeMsg:
		m.pictures.erased() // the renderer redraws the whole screen
	}
	changed, handled := m.pictures.answered(msg)
	var cmd tea.Cmd
	if !handled {
		next, c := m.update(cleanInput(msg))
		m, cmd = next.(Model), c
		m.closeStaleReader()
	}
	if changed {
		cmd = tea.Batch(cmd, m.renderCurrent())
	}
	return m, tea.Batch(cmd, m.pictures.sync(m.reader.body, m.overlays()))
}

// closeStaleReader closes the reader once the list's selection has moved
// off the article it was opened on (the cursor, the wheel; openList closes
// it for another list): beside the list, the reader shows the selected
// article or nothing. A row still loading is given the benefit of the
// doubt: n and N pass through such rows on their way.
func (m *Model) closeStaleReader() {
	id, ok := m.reader.openedFrom()
	if !ok {
		return
	}
	if a, ok := m.items.selected(); !ok || a.ID == id {
		return
	}
	m.reader.close()
	m.links.close()
	if m.screen == readerScreen {
		m.screen = articlesScreen
	}
}

func (m Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.resized(msg.Width, msg.Height)
	case resizeSettledMsg:
		if msg.gen == m.resizeGen {
			return m, m.renderCurrent()
		}
		return m, nil
	case tea.BackgroundColorMsg:
		if m.paletteFixed {
			return m, nil
		}
		m.palette = paletteDark
		if !msg.IsDark() {
			m.palette = paletteLight
		}
		m.applyStyles()
		m.relayoutReader()
		return m, m.renderCurrent()
	case tea.KeyPressMsg:
		return m.keyPressed(msg)
	case tea.MouseClickMsg:
		return m.clicked(msg.Mouse())
	case tea.MouseWheelMsg:
		return m.wheeled(msg.Mouse())
	}
	if m, cmd, ok := m.loaded(msg); ok {
		return m, cmd
	}
	return m.forwardToInputs(msg)
}

// forwardToInputs hands anything else (pastes, cursor messages) to the
// text input that has the focus.
func (m Model) forwardToInputs(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch {
	case m.search.active:
		return m, m.search.update(msg)
	case m.prompt.active:
		return m, m.prompt.update(msg)
	case m.links.filtering:
		return m, m.links.update(msg)
	}
	return m, nil
}

// cleanInput drops control characters (bidi overrides, C1 controls) from
// typed or pasted text as it comes in, before a text input, which shows
// what it holds as is, can take it.
func cleanInput(msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		msg.Text = sanitize.Text(msg.Text)
		return msg
	case tea.PasteMsg:
		msg.Content = sanitize.Text(msg.Content)
		return msg
	}
	return msg
}

func (m Model) resized(width, height int) (tea.Model, tea.Cmd) {
	first := m.width == 0
	m.width, m.height = width, height
	m.layout()
	m.relayoutReader()
	if first || m.reader.hasBody(renderKey{}) {
		return m, m.renderCurrent()
	}
	m.resizeGen++
	return m, settleResize(m.resizeGen)
}

func (m Model) wide() bool { return m.width >= wideWidth }

// listWidth is the article list's width; the reader takes the rest.
func (m Model) listWidth() int {
	if m.wide() {
		return m.width * 2 / 5
	}
	return m.width
}

func (m Model) readerLeft() int {
	if m.wide() {
		return m.listWidth() + 1
	}
	return 0
}

func (m *Model) layout() {
	body := max(1, m.height-1)
	m.feeds.setSize(m.width, body)
	m.items.setSize(m.listWidth(), body)
	m.reader.setSize(m.width-m.readerLeft(), body)
	paneWidth := m.width - m.readerLeft()
	m.links.setSize(paneWidth, body, shortHelpLines(m.styles.Help, m.keys.LinkListHelp(), paneWidth))
	m.help.setSize(m.width, m.height, m.styles, m.keys)
	m.info.setSize(m.width, body)
	m.search.setWidth(m.width)
	m.prompt.setWidth(m.width)
}

func (m *Model) relayoutReader() {
	m.reader.layout(m.styles, m.now())
}

// renderKey is what the current page's body is rendered as now.
func (m *Model) renderKey() (renderKey, bool) {
	return m.reader.renderKey(m.palette.articleStyle(), m.pictures.options(m.height))
}

// overlays are the sixel or iTerm2 pictures of the reader's body that are
// wholly on screen, where they are; none in the other modes, or when the
// reader is hidden or shows a body cut from a wider window.
func (m Model) overlays() []overlay {
	r := &m.reader
	p, ok := r.current()
	if !m.pictures.mode.Overlaid() || !ok || r.body == nil || r.body.width != r.width || m.width == 0 ||
		m.help.active || m.links.active || m.screen == feedsScreen || !(m.wide() || m.screen == readerScreen) {
		return nil
	}
	start := min(p.offset, r.maxOffset())
	var out []overlay
	for _, pl := range r.body.pictures {
		line := r.bodyStart + pl.Line
		if line >= start && line+pl.Drawing.Rows <= start+r.height {
			out = append(out, overlay{x: m.readerLeft() + pl.Col, y: line - start, seq: pl.Drawing.Seq})
		}
	}
	return out
}

// quitCmd quits, deleting the kitty pictures first.
func (m Model) quitCmd() tea.Cmd {
	seq := m.pictures.cleanup()
	if seq == "" {
		return tea.Quit
	}
	// The deletes go out with the next frame, before the program ends.
	return tea.Sequence(tea.Raw(seq), tea.Tick(overlayDelay, func(time.Time) tea.Msg { return overlayDueMsg{gen: -1} }), tea.Quit)
}

// renderCurrent asks for the current page's body at the reader's width,
// from the cache of renderings when it has it.
func (m *Model) renderCurrent() tea.Cmd {
	k, ok := m.renderKey()
	if !ok || k.width <= 0 || m.reader.hasBody(k) {
		return nil
	}
	if body, ok := m.renders.get(k); ok {
		m.reader.setBody(k, body)
		m.relayoutReader()
		return nil
	}
	p, _ := m.reader.current()
	return renderPage(m.deps.Renderer, k, *p, m.now())
}

// View draws the screen. It only composes strings the sub-views already
// hold; nothing here queries or renders Markdown.
func (m Model) View() tea.View {
	var body string
	switch {
	case m.width == 0 || m.height == 0:
		body = "Loading…"
	case m.help.active:
		body = m.help.View(m.styles)
	case m.info.active:
		body = m.withStatus(m.info.View(m.styles))
	default:
		body = m.withStatus(m.mainView())
	}
	v := tea.NewView(body)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "byline"
	return v
}

// withStatus puts the status line under main, which fills the screen
// but one line. A message that takes more lines covers the bottom of main
// until the next key.
func (m Model) withStatus(main string) string {
	status := m.statusView()
	if extra := strings.Count(status, "\n"); extra > 0 {
		lines := strings.Split(main, "\n")
		main = strings.Join(lines[:max(0, len(lines)-extra)], "\n")
	}
	return main + "\n" + status
}

func (m Model) mainView() string {
	if m.screen == feedsScreen {
		return m.feeds.View(m.styles, true)
	}
	readerPane := func() string {
		if m.links.active {
			return m.links.View(m.styles)
		}
		return m.reader.View(m.styles)
	}
	switch {
	case m.wide():
		list := m.items.View(m.styles, m.now(), m.screen == articlesScreen)
		return joinColumns(list, m.listWidth(), m.styles.Divider.Render("│"), readerPane())
	case m.screen == readerScreen:
		return readerPane()
	}
	return m.items.View(m.styles, m.now(), true)
}

// joinColumns puts left (padded to leftWidth) and right side by side.
func joinColumns(left string, leftWidth int, sep, right string) string {
	ls, rs := strings.Split(left, "\n"), strings.Split(right, "\n")
	var b strings.Builder
	for i := range max(len(ls), len(rs)) {
		if i > 0 {
			b.WriteByte('\n')
		}
		l := ""
		if i < len(ls) {
			l = ls[i]
		}
		b.WriteString(l)
		if pad := leftWidth - ansi.StringWidth(l); pad > 0 {
			b.WriteString(strings.Repeat(" ", pad))
		}
		b.WriteString(sep)
		if i < len(rs) {
			b.WriteString(rs[i])
		}
	}
	return b.String()
}

func (m Model) statusView() string {
	if m.confirm != nil {
		return m.styles.Status.Render(fitWidth(" "+m.confirm.question+" (y/n)", m.width))
	}
	if m.search.active {
		return m.search.View(m.width)
	}
	if m.prompt.active {
		return m.prompt.View(m.width)
	}
	parts := statusParts{unread: m.feeds.totalUnread(), refresh: m.refresh, maxLines: max(1, m.height/2)}
	if h := m.keys.Help.Help(); h.Key != "" {
		parts.hint = h.Key + " help"
	}
	switch m.screen {
	case feedsScreen:
		parts.where = "Feeds"
	case articlesScreen:
		parts.where = m.items.where()
	case readerScreen:
		parts.where = m.reader.where()
		if n, url, ok := m.reader.highlightedLink(); ok && m.reader.number == "" {
			parts.where, parts.link = fmt.Sprintf("[%d] ", n), url
		}
		parts.scroll = m.reader.scrollPercent()
	}
	return m.status.View(m.styles, m.width, parts)
}
