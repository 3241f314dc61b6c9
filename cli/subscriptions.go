package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
	"github.com/spf13/cobra"
)

func newAddCmd(e *env) *cobra.Command {
	var all bool
	var title string
	cmd := &cobra.Command{
		Use:   "add URL [TAG...]",
		Short: "Subscribe to a feed, or find the feed of a web page",
		Long: `Subscribe to a feed. When URL is a web page, byline looks for its feeds
(<link rel="alternate">, then common paths such as /feed and /rss.xml) and
subscribes to the first one; --all lists what it found instead.`,
		Example: "byline add https://example.com/blog tech\nbyline add --all https://example.com",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			subs, err := e.subscriptions()
			if err != nil {
				return err
			}
			target := strings.TrimSpace(args[0])
			if !isWebURL(target) {
				return fmt.Errorf("add %q: only http and https URLs can be subscribed to", target)
			}
			if subscribed(subs, target) {
				fmt.Fprintf(e.stdout, "Already subscribed to %s\n", target)
				return nil
			}
			fetcher := e.fetcher()
			rules, err := refresh.NewRules(e.settings)
			if err != nil {
				return err
			}
			found, err := fetcher.Discover(ctx, target)
			if err != nil {
				return fmt.Errorf("add %s: %w", target, err)
			}
			if all {
				for _, u := range found {
					fmt.Fprintln(e.stdout, u)
				}
				return nil
			}
			feedURL := found[0]
			if subscribed(subs, feedURL) {
				fmt.Fprintf(e.stdout, "Already subscribed to %s\n", feedURL)
				return nil
			}
			sub := news.Subscription{URL: feedURL, Title: title, Tags: args[1:]}
			if err := config.AddURL(e.paths.URLsFile(), sub); err != nil {
				return err
			}
			store, feeds, err := e.openFeeds(ctx, []string{feedURL})
			if err != nil {
				return err
			}
			defer store.Close()
			var outcome refresh.Outcome
			if _, err := refresh.Run(ctx, store, fetcher, feeds, rules, time.Now(), func(p refresh.Progress) { outcome = p.Last }); err != nil {
				return err
			}
			if err := refresh.Finish(ctx, store, rules, refresh.FinishBudget); err != nil {
				return err
			}
			if outcome.Result.Status == feed.StatusFailed {
				fmt.Fprintf(e.stdout, "Subscribed to %s, but the first fetch failed: %v\n", feedURL, outcome.Result.Err)
				return nil
			}
			name := feedURL
			if f := outcome.Result.Feed; f != nil && f.Title != "" {
				name = fmt.Sprintf("%s (%s)", f.Title, feedURL)
			}
			fmt.Fprintf(e.stdout, "Subscribed to %s: %s\n", name, news.Count(outcome.New, "article"))
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "list every feed found on the page instead of subscribing")
	cmd.Flags().StringVar(&title, "title", "", "show the feed under this TITLE instead of its own")
	return cmd
}

func newRemoveCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "remove FEED",
		Short: "Unsubscribe from a feed, named by ID, URL or title (starred articles are kept)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			store, feeds, err := e.openFeeds(ctx, nil)
			if err != nil {
				return err
			}
			defer store.Close()
			f, err := matchFeed(append(feeds, e.queryFeeds()...), args[0])
			if err != nil {
				return fmt.Errorf("remove %q: %w", args[0], err)
			}
			removed, err := config.RemoveURL(e.paths.URLsFile(), f.URL)
			if err != nil {
				return err
			}
			if len(removed) == 0 {
				return fmt.Errorf("remove %q: %s left the urls file while byline read it; nothing removed", args[0], f.URL)
			}
			if err := e.syncSubscriptions(ctx, store); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Unsubscribed from %s (%s)\n", f.Title, f.URL)
			return nil
		},
	}
}

func newImportCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE.opml",
		Short: "Subscribe to every feed in an OPML file (folders become tags)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			subs, err := e.subscriptions()
			if err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("import: %w", err)
			}
			defer f.Close()
			imported, warnings, err := config.ParseOPML(f)
			if err != nil {
				return fmt.Errorf("import %s: %w", args[0], err)
			}
			for _, w := range warnings {
				fmt.Fprintf(e.stderr, "byline: %s:%d: %s\n", args[0], w.Line, w.Text)
			}
			added := 0
			for _, s := range imported {
				if subscribed(subs, s.URL) {
					continue
				}
				if err := config.AddURL(e.paths.URLsFile(), s); err != nil {
					return err
				}
				subs = append(subs, s)
				added++
			}
			store, err := e.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer store.Close()
			fmt.Fprintf(e.stdout, "Imported %s (%d already subscribed). Run `byline refresh` to fetch them.\n", news.Count(added, "feed"), len(imported)-added)
			return nil
		},
	}
}

func newExportCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "export",
		Short: "Write your subscriptions as OPML 2.0 to stdout",
		Long: `Write your subscriptions as OPML 2.0 to stdout, for another reader: each
feed with its title and site as the cache knows them and its tags as
folders and categories. Built-in feeds (byline:welcome) are left out.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, feeds, err := e.openFeeds(cmd.Context(), nil)
			if err != nil {
				return err
			}
			defer store.Close()
			return config.WriteOPML(e.stdout, feeds, "byline subscriptions")
		},
	}
}

// subscribed reports whether the feed list holds url.
func subscribed(subs []news.Subscription, url string) bool {
	return slices.ContainsFunc(subs, func(s news.Subscription) bool { return s.URL == url })
}

func isWebURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}
