package cli

import (
	"fmt"
	"strconv"
	"time"

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
				feedIDs, err := feedFlag(ctx, store, feedKey)
				if err != nil {
					return err
				}
				n, err := store.MarkAllRead(ctx, news.Filter{FeedIDs: feedIDs})
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
	return &cobra.Command{
		Use:   "purge",
		Short: "Delete read articles older than keep-days now, then compact the cache",
		Long: `Delete read articles older than keep-days (config.toml; default 90), then
VACUUM the cache. Unread and starred articles are always kept.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
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
}
