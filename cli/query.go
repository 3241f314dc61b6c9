package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/news"
	"github.com/spf13/cobra"
)

// The JSON shapes below are a contract for scripts: add fields, never rename
// or remove them. Times are RFC 3339 in UTC; absent times are null.

type feedJSON struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	URL         string     `json:"url"`
	SiteURL     string     `json:"site_url"`
	Tags        []string   `json:"tags"`
	Unread      int        `json:"unread"`
	Total       int        `json:"total"`
	LastSuccess *time.Time `json:"last_success"`
	LastError   string     `json:"last_error"`
	MovedTo     string     `json:"moved_to"`
	Gone        bool       `json:"gone"`
	// Query is set for a query feed, whose Filter is its expression; it
	// has no id (0) and no refresh state.
	Query   bool   `json:"query"`
	Filter  string `json:"filter"`
	Account string `json:"account"` // empty for the urls file's feeds
}

type articleJSON struct {
	ID        int64      `json:"id"`
	FeedID    int64      `json:"feed_id"`
	Feed      string     `json:"feed"`
	Title     string     `json:"title"`
	URL       string     `json:"url"`
	Author    string     `json:"author"`
	Published *time.Time `json:"published"`
	Read      bool       `json:"read"`
	Starred   bool       `json:"starred"`
}

type hitJSON struct {
	articleJSON
	Snippet string  `json:"snippet"`
	Rank    float64 `json:"rank"`
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func toArticleJSON(a news.Article) articleJSON {
	return articleJSON{
		ID: a.ID, FeedID: a.FeedID, Feed: a.FeedTitle, Title: a.Title, URL: a.URL,
		Author: a.Author, Published: optionalTime(a.Published), Read: a.Read, Starred: a.Starred,
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newFeedsCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "feeds",
		Short: "List subscriptions with unread counts and their last refresh",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, err := e.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer store.Close()
			feeds, err := store.Feeds(cmd.Context())
			if err != nil {
				return err
			}
			queries, err := store.QueryFeeds(cmd.Context(), e.queries)
			if err != nil {
				return err
			}
			feeds = append(feeds, queries...)
			if asJSON {
				out := make([]feedJSON, len(feeds))
				for i, f := range feeds {
					out[i] = feedJSON{
						ID: f.ID, Title: f.Title, URL: f.URL, SiteURL: f.SiteURL, Tags: nonNil(f.Tags),
						Unread: f.Unread, Total: f.Total, LastSuccess: optionalTime(f.LastSuccess),
						LastError: f.LastError, MovedTo: f.MovedTo, Gone: f.Gone,
						Query: f.Query != "", Filter: f.Query, Account: f.Account,
					}
				}
				return writeJSON(e.stdout, out)
			}
			var tw table
			tw.row("ID", "UNREAD", "TOTAL", "TITLE", "TAGS", "LAST OK", "STATUS")
			for _, f := range feeds {
				id, lastOK := strconv.FormatInt(f.ID, 10), age(f.LastSuccess)
				if f.Query != "" {
					id, lastOK = "-", "-"
				}
				tw.row(id, strconv.Itoa(f.Unread), strconv.Itoa(f.Total), clip(f.Title, 40),
					strings.Join(f.Tags, ","), lastOK, feedStatus(f))
			}
			return tw.write(e.stdout)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newListCmd(e *env) *cobra.Command {
	var (
		filter    news.Filter
		feedKey   string
		asJSON    bool
		countOnly bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List articles, newest first",
		Example: "byline list --unread --limit 20\nbyline list --tag tech --json\nbyline list --count --unread\n" +
			"byline list --feed \"Tech unread\"\nbyline list --filter 'title =~ \"linux\" and age < 7'",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if err := checkLimit(filter.Limit); err != nil {
				return err
			}
			store, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			if err := e.scopeToFeed(ctx, store, feedKey, &filter); err != nil {
				return err
			}
			if err := tagFlag(ctx, store, filter.Tag); err != nil {
				return err
			}
			if countOnly {
				filter.Limit = 0
				n, err := store.Count(ctx, filter)
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(e.stdout, map[string]int{"count": n})
				}
				fmt.Fprintln(e.stdout, n)
				return nil
			}
			articles, err := store.Articles(ctx, filter)
			if err != nil {
				return err
			}
			if asJSON {
				out := make([]articleJSON, len(articles))
				for i, a := range articles {
					out[i] = toArticleJSON(a)
				}
				return writeJSON(e.stdout, out)
			}
			return writeArticles(e.stdout, articles, nil)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&filter.Unread, "unread", false, "only unread articles")
	f.BoolVar(&filter.Starred, "starred", false, "only starred articles")
	f.StringVar(&feedKey, "feed", "", "only articles of the feed (or query feed) with this ID, URL or title")
	f.StringVar(&filter.Tag, "tag", "", "only articles of feeds with this TAG")
	f.StringVar(&filter.Query, "filter", "", "only articles that match this filter EXPRESSION (newsboat's filter language)")
	f.IntVar(&filter.Limit, "limit", 0, "at most N articles (0: all)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.BoolVar(&countOnly, "count", false, "print only how many articles match")
	return cmd
}

func newSearchCmd(e *env) *cobra.Command {
	var limit int
	var asJSON, countOnly bool
	cmd := &cobra.Command{
		Use:     "search QUERY...",
		Short:   "Search every cached article (best matches first)",
		Example: "byline search climate\nbyline search --json open source\nbyline search --count climate",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			store, err := e.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer store.Close()
			query := strings.Join(args, " ")
			if countOnly {
				n, err := store.SearchCount(cmd.Context(), query)
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(e.stdout, map[string]int{"count": n})
				}
				fmt.Fprintln(e.stdout, n)
				return nil
			}
			hits, err := store.Search(cmd.Context(), query, limit)
			if err != nil {
				return err
			}
			if asJSON {
				out := make([]hitJSON, len(hits))
				for i, h := range hits {
					out[i] = hitJSON{articleJSON: toArticleJSON(h.Article), Snippet: h.Snippet, Rank: h.Rank}
				}
				return writeJSON(e.stdout, out)
			}
			articles := make([]news.Article, len(hits))
			snippets := make([]string, len(hits))
			for i, h := range hits {
				articles[i], snippets[i] = h.Article, h.Snippet
			}
			return writeArticles(e.stdout, articles, snippets)
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 20, "at most N results (0: all)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&countOnly, "count", false, "print only how many articles match, whatever --limit")
	return cmd
}

// scopeToFeed narrows f to the feed that --feed's id, URL or title names:
// its articles, or for a query feed those its expression matches (with
// any --filter as well). An empty key leaves f as it is.
func (e *env) scopeToFeed(ctx context.Context, store *cache.Store, key string, f *news.Filter) error {
	if key == "" {
		return nil
	}
	feeds, err := store.Feeds(ctx)
	if err != nil {
		return err
	}
	match, err := matchFeed(append(feeds, e.queryFeeds()...), key)
	if err != nil {
		return fmt.Errorf("--feed %q: %w", key, err)
	}
	if match.Query == "" {
		f.FeedIDs = []int64{match.ID}
		return nil
	}
	if f.Query != "" {
		f.Query = "(" + f.Query + ") and (" + match.Query + ")"
	} else {
		f.Query = match.Query
	}
	return nil
}

// queryFeeds are the urls file's query feeds as feeds, without counts, for
// matching a name the user gave.
func (e *env) queryFeeds() []news.Feed {
	feeds := make([]news.Feed, len(e.queries))
	for i, q := range e.queries {
		feeds[i] = news.Feed{URL: q.URL, Title: q.Title, Tags: q.Tags, Query: q.Query}
	}
	return feeds
}

// checkLimit is the rule of every --limit: a count, where 0 means no limit.
func checkLimit(n int) error {
	if n < 0 {
		return fmt.Errorf("--limit %d: want 0 (no limit) or more", n)
	}
	return nil
}

// tagFlag refuses a --tag that no subscribed feed has, as feedFlag refuses
// a --feed that matches none: an empty list would read as "nothing new".
func tagFlag(ctx context.Context, store *cache.Store, tag string) error {
	if tag == "" {
		return nil
	}
	feeds, err := store.Feeds(ctx)
	if err != nil {
		return err
	}
	var tags []string
	for _, f := range feeds {
		for _, t := range f.Tags {
			if t == tag {
				return nil
			}
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
	}
	if len(tags) == 0 {
		return fmt.Errorf("--tag %q: no subscribed feed has a tag (tags follow the URL in the urls file)", tag)
	}
	slices.Sort(tags)
	return fmt.Errorf("--tag %q: no subscribed feed has that tag (the tags are %s)", tag, strings.Join(tags, ", "))
}

// feedStatus is the last column of `byline feeds`, where a long error can run on.
func feedStatus(f news.Feed) string {
	switch {
	case f.Query != "":
		return "query: " + f.Query
	case f.Gone:
		return "gone (410)"
	case f.LastError != "":
		return "error: " + f.LastError
	case f.MovedTo != "":
		return "moved to " + f.MovedTo
	case f.LastSuccess.IsZero():
		return "not fetched yet"
	}
	return "ok"
}

// writeArticles prints one line per article, with its snippet under it when given.
func writeArticles(w io.Writer, articles []news.Article, snippets []string) error {
	var tw table
	for i, a := range articles {
		mark := " "
		switch {
		case a.Starred:
			mark = "*"
		case !a.Read:
			mark = "N"
		}
		tw.row(strconv.FormatInt(a.ID, 10), mark, age(a.Published), clip(a.FeedTitle, 24), article.DisplayTitle(a))
		if snippets != nil && snippets[i] != "" {
			tw.row("", "", "", "", "  "+clip(snippets[i], 110))
		}
	}
	return tw.write(w)
}

// age is a compact relative time, as newsreaders show it.
func age(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	case d < 365*24*time.Hour:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
	return t.Format("2006-01-02")
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
