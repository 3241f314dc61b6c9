package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/ui"
	"github.com/charmbracelet/x/term"
)

// env is what every command needs: where things live, the settings and,
// opened on demand, the cache.
type env struct {
	version        string
	home           homeFlag
	stdout, stderr io.Writer

	paths    config.Paths
	settings config.Settings
	loaded   bool

	// noStarter is set for the commands that give byline feeds or work on
	// the list the user has (add, import, remove, export): the starter
	// list is for someone who opens byline with no feed list at all.
	noStarter bool
	// warned is set once the urls file's warnings were dealt with.
	warned bool
	// forReader collects those warnings in readerWarnings instead of
	// printing them: the reader's screen would hide them until it quits.
	forReader      bool
	readerWarnings []string
	// queries are the urls file's query feeds, read with the subscriptions.
	queries []news.Subscription
}

func (e *env) load() error {
	if e.loaded {
		return nil
	}
	if e.home.given && e.home.dir == "" {
		return fmt.Errorf("--home is empty: give it a directory, or leave it out to use $%s or the usual directories", config.HomeEnv)
	}
	paths, err := config.ResolvePaths(e.home.dir)
	if err != nil {
		return err
	}
	settings, err := config.LoadSettings(paths.SettingsFile(), ui.CheckKeys)
	if err != nil {
		return err
	}
	e.paths, e.settings, e.loaded = paths, settings, true
	return nil
}

// homeFlag is --home, and whether it was given: an empty one is refused
// before anything is read or written. It is a variable that expanded to
// nothing, and falling back to the real home wrote a feed list and a
// database where the user meant not to.
type homeFlag struct {
	dir   string
	given bool
}

func (h *homeFlag) String() string { return h.dir }
func (h *homeFlag) Type() string   { return "string" }

func (h *homeFlag) Set(dir string) error {
	h.dir, h.given = dir, true
	return nil
}

// subscriptions reads the urls file, writing the starter list on first run
// (unless noStarter; then a missing file is an empty list). Lines byline
// cannot use are reported on stderr once, and again when they change.
func (e *env) subscriptions() ([]news.Subscription, error) {
	if err := e.load(); err != nil {
		return nil, err
	}
	if !e.noStarter {
		created, err := config.EnsureURLs(e.paths.URLsFile())
		if err != nil {
			return nil, err
		}
		if created {
			fmt.Fprintf(e.stderr, "byline: created %s with a starter list of feeds; edit it to make it yours\n", e.paths.URLsFile())
		}
	}
	list, warnings, err := config.LoadFeedList(e.paths.URLsFile())
	if e.noStarter && errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	subs := list.Subscriptions
	e.queries = list.Queries
	if !e.warned {
		// Once per process too: a command that edits the file reads it again.
		e.warned = true
		for _, w := range config.UnseenWarnings(e.paths.URLWarningsFile(), warnings) {
			line := fmt.Sprintf("%s:%d: %s", e.paths.URLsFile(), w.Line, w.Text)
			if e.forReader {
				e.readerWarnings = append(e.readerWarnings, line)
			} else {
				fmt.Fprintln(e.stderr, "byline: "+line)
			}
		}
	}
	return subs, nil
}

// openStore opens the cache and brings its subscriptions in line with the
// urls file, which is the source of truth a user edits by hand.
func (e *env) openStore(ctx context.Context) (*cache.Store, error) {
	subs, err := e.subscriptions()
	if err != nil {
		return nil, err
	}
	store, err := cache.Open(e.paths.DBFile())
	if err != nil {
		return nil, err
	}
	if err := store.SyncSubscriptions(ctx, subs); err != nil {
		store.Close()
		return nil, err
	}
	if err := e.keepAccounts(ctx, store); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// syncSubscriptions brings the open cache in line with the urls file after
// a command changed the file.
func (e *env) syncSubscriptions(ctx context.Context, store *cache.Store) error {
	subs, err := e.subscriptions()
	if err != nil {
		return err
	}
	return store.SyncSubscriptions(ctx, subs)
}

// openCache opens the cache as it is, for commands that read articles by
// ID or URL and whatever the subscriptions: reading and syncing the urls
// file was a fifth of `byline read ID` with 2,000 feeds. The next command
// that lists by feed syncs it.
func (e *env) openCache() (*cache.Store, error) {
	if err := e.load(); err != nil {
		return nil, err
	}
	return cache.Open(e.paths.DBFile())
}

func (e *env) fetcher() *feed.Fetcher {
	opts := e.settings.FeedOptions()
	opts.UserAgent = e.userAgent()
	return feed.NewFetcher(opts)
}

// userAgent is the user-agent setting, or byline/VERSION.
func (e *env) userAgent() string {
	if e.settings.UserAgent != "" {
		return e.settings.UserAgent
	}
	return "byline/" + e.version
}

// isTerminal reports whether w is an interactive terminal, for progress bars.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
