package cli

import (
	"fmt"
	"strconv"
	"time"

	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/news"
	"github.com/spf13/cobra"
)

func newMarkCmd(e *env) *cobra.Command {
	var all bool
	var feedKey string
	cmd := &cobra.Command{
		Use:       "mark read|unread|star|unstar ID...",
		Short:     "Mark articles read, unread, starred or unstarred",
		Example:   "byline mark read 12 13\nbyline mark star 12\nbyline mark read --all --feed hn",
		ValidArgs: []string{"read", "unread", "star", "unstar"},
		Args:      cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			action, rest := args[0], args[1:]
			switch action {
			case "read", "unread", "star", "unstar":
			default:
				return fmt.Errorf("mark %q: the action must be read, unread, star or unstar", action)
			}
			if all && action != "read" {
				return fmt.Errorf("--all works with `mark read` only")
			}
			if feedKey != "" && !all {
				return fmt.Errorf("--feed goes with --all")
			}
			if !all && len(rest) == 0 {
				return fmt.Errorf("mark %s: give article IDs (see `byline list`), or --all", action)
			}
			if all && len(rest) > 0 {
				return fmt.Errorf("mark read --all takes no IDs")
			}
			ids := make([]int64, len(rest))
			for i, s := range rest {
				id, err := strconv.ParseInt(s, 10, 64)
				if err != nil || id <= 0 {
					return fmt.Errorf("mark %s: %q is not an article ID (see `byline list`)", action, s)
				}
				ids[i] = id
			}
			store, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			if all {
				var scope news.Filter
				if err := e.scopeToFeed(ctx, store, feedKey, &scope); err != nil {
					return err
				}
				n, err := store.MarkAllRead(ctx, scope)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "Marked %s read\n", news.Count(n, "article"))
				return nil
			}
			switch action {
			case "read", "unread":
				err = store.SetRead(ctx, ids, action == "read")
			default:
				err = store.SetStarred(ctx, ids, action == "star")
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "mark every article read (with mark read)")
	cmd.Flags().StringVar(&feedKey, "feed", "", "with --all: only this feed (its ID, URL or title)")
	return cmd
}

func newPurgeCmd(e *env) *cobra.Command {
	var repair bool
	cmd := &cobra.Command{
		Use:   "purge [--repair]",
		Short: "Delete read articles older than keep-days now, then compact the cache",
		Long: `Delete read articles older than keep-days (config.toml; default 90), then
VACUUM the cache. Unread and starred articles are always kept.

With --repair, for a cache that byline reports as damaged: save everything
that can still be read (subscriptions, articles with their read and starred
flags, kept pages) into a new cache, and keep the damaged file beside it.
Close the reader first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if repair {
				return e.repairCache(cmd)
			}
			store, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			n := 0
			if e.settings.KeepDays > 0 {
				if n, err = store.Purge(ctx, time.Now().AddDate(0, 0, -e.settings.KeepDays)); err != nil {
					return err
				}
			}
			if err := store.Vacuum(ctx); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Purged %s; the cache is compacted\n", news.Count(n, "read article"))
			return nil
		},
	}
	cmd.Flags().BoolVar(&repair, "repair", false, "save what a damaged cache still holds into a new one, keeping the damaged file")
	return cmd
}

// repairCache runs purge --repair.
func (e *env) repairCache(cmd *cobra.Command) error {
	if err := e.load(); err != nil {
		return err
	}
	r, err := cache.Repair(cmd.Context(), e.paths.DBFile())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Saved %d articles (%d read, %d starred) and %d subscriptions into a new cache at %s\n",
		r.Articles, r.Read, r.Starred, r.Feeds, e.paths.DBFile())
	if r.Restored > 0 {
		fmt.Fprintf(e.stdout, "%d of the articles were rebuilt from the cache's indexes; the next refresh fills in their titles\n", r.Restored)
	}
	if r.Lost > 0 {
		fmt.Fprintf(e.stdout, "%d articles could not be read; the next refresh brings back, as new, those the feeds still carry\n", r.Lost)
	}
	fmt.Fprintf(e.stdout, "The damaged file is kept as %s\n", r.Backup)
	return nil
}
