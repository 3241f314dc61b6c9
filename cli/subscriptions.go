package cli

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
	"github.com/spf13/cobra"
)

func newAddCmd(e *env) *cobra.Command {
	var all bool
	var title, accountName string
	var tags []string
	cmd := &cobra.Command{
		Use:   "add URL [TAG...]",
		Short: "Subscribe to a feed, or find the feed of a web page",
		Long: `Subscribe to a feed. When URL is a web page, byline looks for its feeds
(<link rel="alternate">, then common paths such as /feed and /rss.xml) and
subscribes to the first one; --all lists what it found instead.

With --account, the account's server subscribes (and finds the feed of a
web page itself); the feed and its articles arrive with a sync right after.`,
		Example: "byline add https://example.com/blog tech\nbyline add --all https://example.com\nbyline add https://example.com/feed --account home --tag tech",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			target := strings.TrimSpace(args[0])
			if !isWebURL(target) {
				return fmt.Errorf("add %q: only http and https URLs can be subscribed to", target)
			}
			tags := append(args[1:], tags...)
			if accountName != "" {
				if all || title != "" {
					return fmt.Errorf("--all and --title work with the urls file's feeds, not with --account")
				}
				return e.addRemote(ctx, accountName, target, tags)
			}
			subs, err := e.subscriptions()
			if err != nil {
				return err
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
			found, err := discoverFeeds(ctx, fetcher, target)
			if err != nil {
				return err
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
			sub := news.Subscription{URL: feedURL, Title: title, Tags: tags}
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
	cmd.Flags().StringVar(&accountName, "account", "", "subscribe on the server of the sync ACCOUNT (config.toml)")
	cmd.Flags().StringArrayVar(&tags, "tag", nil, "file the feed under TAG (on a server: its category or label); may be repeated")
	return cmd
}

// addRemote subscribes on an account's server and syncs the account so
// the feed is here at once.
func (e *env) addRemote(ctx context.Context, name, target string, tags []string) error {
	clients, err := e.accounts([]string{name})
	if err != nil {
		return err
	}
	client := clients[0]
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	added, err := client.Subscribe(ctx, target, tags)
	if err != nil {
		return fmt.Errorf("add %s: %w", target, err)
	}
	rules, err := refresh.NewRules(e.settings)
	if err != nil {
		return err
	}
	results, err := refresh.Sync(ctx, store, clients, rules, nil)
	if err != nil {
		return err
	}
	shown := added.URL
	if added.Title != "" {
		shown = fmt.Sprintf("%s (%s)", added.Title, added.URL)
	}
	if r := results[0]; r.Err != nil {
		fmt.Fprintf(e.stdout, "Subscribed to %s on %s; the sync after it failed: %s\n", shown, name, syncProblem(r))
		return nil
	}
	feeds, err := store.Feeds(ctx)
	if err != nil {
		return err
	}
	for _, f := range feeds {
		if f.Account == name && f.RemoteID == added.ID {
			fmt.Fprintf(e.stdout, "Subscribed to %s on %s: %s\n", shown, name, news.Count(f.Total, "article"))
			return nil
		}
	}
	fmt.Fprintf(e.stdout, "Subscribed to %s on %s\n", shown, name)
	return nil
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
			if f.Account != "" {
				if err := e.unsubscribeRemote(ctx, store, f); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "Unsubscribed from %s (%s) on %s\n", f.Title, f.URL, f.Account)
				return nil
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

// unsubscribeRemote unsubscribes a synced feed on its server, then here.
func (e *env) unsubscribeRemote(ctx context.Context, store *cache.Store, f news.Feed) error {
	clients, err := e.accounts([]string{f.Account})
	if err != nil {
		return err
	}
	if err := clients[0].Unsubscribe(ctx, f.RemoteID); err != nil {
		return fmt.Errorf("remove %s: %w", f.URL, err)
	}
	return store.UnsubscribeRemote(ctx, f.ID)
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
