package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/progress"
	"github.com/bylinehq/byline/account"
	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"
)

func newRefreshCmd(e *env) *cobra.Command {
	var fullText bool
	cmd := &cobra.Command{
		Use:   "refresh [FEED...]",
		Short: "Fetch all feeds, or the named ones (URL, title or id)",
		Long: `Fetch all feeds, or only the named ones. A feed that fails is reported and
the others go on; the exit status is 0 whenever the run itself completed.
Read articles older than keep-days are purged afterwards.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			store, feeds, err := e.openFeeds(ctx, args)
			if err != nil {
				return err
			}
			defer store.Close()
			// Named feeds of accounts sync their accounts; no names, all.
			local, synced := splitSynced(feeds)
			var clients []account.Client
			if len(args) == 0 {
				clients, err = e.accounts(nil)
			} else if len(synced) > 0 {
				clients, err = e.accounts(synced)
			}
			if err != nil {
				return err
			}

			fetcher := e.fetcher()
			rules, err := refresh.NewRules(e.settings)
			if err != nil {
				return err
			}
			report := newRefreshReporter(e.stderr)
			sum, accounts, runErr := refresh.Refresh(ctx, store, fetcher, local, rules, clients, time.Now(), report.progress)
			report.finish()
			if runErr != nil && ctx.Err() != nil {
				return interruptedRefresh(len(local), sum)
			}
			fmt.Fprintln(e.stdout, summaryLine(len(local), sum))
			// An account that cannot sync is reported; like a feed that
			// failed, it does not fail the refresh.
			reportAccounts(e.stdout, e.stderr, accounts)
			if runErr != nil {
				return runErr
			}
			if fullText || e.settings.Prefetch {
				if err := e.prefetch(ctx, store, fetcher, nil); err != nil {
					return err
				}
			} else if own := e.fullTextFeeds(local); len(own) > 0 {
				if err := e.prefetch(ctx, store, fetcher, own); err != nil {
					return err
				}
			}
			return refresh.Finish(ctx, store, rules, refresh.FinishBudget)
		},
	}
	cmd.Flags().BoolVar(&fullText, "full-text", false, "also fetch and extract each new article's web page for offline reading")
	return cmd
}

// prefetchLimit bounds how many unread articles one refresh extracts: the
// newest first, which are the ones about to be read.
const prefetchLimit = 500

// prefetch extracts the newest unread articles' pages (of the feeds with
// feedIDs; nil: of all) so they read offline.
func (e *env) prefetch(ctx context.Context, store *cache.Store, fetcher *feed.Fetcher, feedIDs []int64) error {
	unread, err := store.Articles(ctx, news.Filter{Unread: true, FeedIDs: feedIDs, Limit: prefetchLimit})
	if err != nil {
		return err
	}
	res := e.reader(store, fetcher).Prefetch(ctx, unread, e.settings.Jobs)
	fmt.Fprintf(e.stdout, "full text: %s extracted and kept; %d could not be read (their feed text stands)\n", news.Count(res.Extracted, "page"), res.Failed)
	return ctx.Err()
}

// fullTextFeeds are the feeds whose own full-text is "always" (or true):
// their new articles' pages are kept at every refresh.
func (e *env) fullTextFeeds(feeds []news.Feed) []int64 {
	var ids []int64
	for _, f := range feeds {
		if e.settings.ForFeed(f.URL).Prefetch {
			ids = append(ids, f.ID)
		}
	}
	return ids
}

// splitSynced separates the urls file's feeds, which refresh fetches, from
// synced ones, whose accounts it syncs; it returns those accounts' names.
func splitSynced(feeds []news.Feed) (local []news.Feed, accounts []string) {
	for _, f := range feeds {
		if f.Account == "" {
			local = append(local, f)
		} else if !slices.Contains(accounts, f.Account) {
			accounts = append(accounts, f.Account)
		}
	}
	return local, accounts
}

func summaryLine(total int, s refresh.Summary) string {
	return news.Count(total, "feed") + ": " + outcomes(s)
}

// outcomes counts what happened to the feeds a refresh got to.
func outcomes(s refresh.Summary) string {
	line := fmt.Sprintf("%d ok, %d not modified, %d failed", s.OK, s.NotModified, s.Failed)
	if s.Skipped > 0 {
		line += fmt.Sprintf(", %d skipped", s.Skipped)
	}
	line += "; " + news.Count(s.New, "new article")
	if s.Ignored > 0 {
		line += fmt.Sprintf(", %d ignored", s.Ignored)
	}
	return line
}

// interruptedRefresh is the one thing said when ctrl+c stops a refresh:
// what was done and what was not.
func interruptedRefresh(total int, s refresh.Summary) error {
	done := s.OK + s.NotModified + s.Failed + s.Skipped
	return &interruptedError{fmt.Sprintf("refresh interrupted: %d of %s done (%s), %d not fetched; what finished is kept",
		done, news.Count(total, "feed"), outcomes(s), total-done)}
}

// openFeeds opens the cache and returns the subscribed feeds named by keys
// (id, URL or title), or all of them when there are no keys.
func (e *env) openFeeds(ctx context.Context, keys []string) (*cache.Store, []news.Feed, error) {
	store, err := e.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	feeds, err := store.Feeds(ctx)
	if err == nil && len(keys) > 0 {
		picked := make([]news.Feed, len(keys))
		for i, k := range keys {
			if picked[i], err = matchFeed(feeds, k); err != nil {
				err = fmt.Errorf("%q: %w", k, err)
				break
			}
		}
		feeds = picked
	}
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return store, feeds, nil
}

// refreshReporter shows a live bar on a terminal and, elsewhere (cron, pipes),
// one line per feed that failed or needs the user's attention.
type refreshReporter struct {
	w        io.Writer
	live     bool
	bar      progress.Model
	lastDraw time.Time
}

func newRefreshReporter(w io.Writer) *refreshReporter {
	r := &refreshReporter{w: w, live: isTerminal(w)}
	if r.live {
		r.w = colorprofile.NewWriter(w, os.Environ())
		r.bar = progress.New(progress.WithDefaultBlend(), progress.WithWidth(30))
	}
	return r
}

func (r *refreshReporter) progress(p refresh.Progress) {
	if a := p.Account; a != nil {
		// Accounts are summed up at the end; a live bar shows the step.
		if r.live && !a.Done && time.Since(r.lastDraw) >= 50*time.Millisecond {
			r.lastDraw = time.Now()
			fmt.Fprintf(r.w, "\r\x1b[K%s: %s", a.Name, a.Step)
		}
		return
	}
	o := p.Last
	var notice string
	switch {
	case o.Result.Status == feed.StatusFailed:
		notice = fmt.Sprintf("failed: %v", o.Result.Err)
		if !strings.Contains(notice, o.Feed.URL) {
			notice = fmt.Sprintf("failed: %s: %v", o.Feed.URL, o.Result.Err)
		}
	case o.Result.MovedTo != "":
		notice = fmt.Sprintf("moved: %s now lives at %s; update your urls file", o.Feed.URL, o.Result.MovedTo)
	}
	if !r.live {
		if notice != "" {
			fmt.Fprintln(r.w, notice)
		}
		return
	}
	if notice != "" {
		fmt.Fprintf(r.w, "\r\x1b[K%s\n", notice)
	}
	// Redrawing on every feed of a fast local refresh would cost more than the refresh.
	if p.Done < p.Total && time.Since(r.lastDraw) < 50*time.Millisecond && notice == "" {
		return
	}
	r.lastDraw = time.Now()
	fmt.Fprintf(r.w, "\r\x1b[K%s %d/%d feeds · %d new · %d failed",
		r.bar.ViewAs(float64(p.Done)/float64(max(p.Total, 1))), p.Done, p.Total, p.New, p.Failed+p.Skipped)
}

func (r *refreshReporter) finish() {
	if r.live {
		fmt.Fprint(r.w, "\r\x1b[K")
	}
}
