package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bylinehq/byline/account"
	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/refresh"
	"github.com/spf13/cobra"
)

func newSyncCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "sync [ACCOUNT...]",
		Short: "Sync with the accounts' servers: send waiting changes, fetch feeds, entries and state",
		Long: `Sync every account of config.toml, or the named ones: first the reads,
unreads, stars and unstars made here are sent, then the server's feeds (their
categories become tags), new entries and read and starred state are fetched.

A server that cannot be reached leaves the changes waiting; the command then
says how many and exits 1. ` + "`byline refresh`" + ` syncs every account too.`,
		Example: "byline sync\nbyline sync home",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := e.load(); err != nil {
				return err
			}
			if len(e.settings.Accounts) == 0 {
				return fmt.Errorf("no account in %s: add an [[account]] table (see `byline help sync` and the README)", e.paths.SettingsFile())
			}
			clients, err := e.accounts(args)
			if err != nil {
				return err
			}
			store, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			rules, err := refresh.NewRules(e.settings)
			if err != nil {
				return err
			}
			results, err := refresh.Sync(ctx, store, clients, rules, nil)
			failed := reportAccounts(e.stdout, e.stderr, results)
			if err != nil {
				return err
			}
			// As after a refresh: retention, and the new articles' text
			// indexed for search.
			if err := refresh.Finish(ctx, store, rules, refresh.FinishBudget); err != nil {
				return err
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d accounts did not sync", failed, len(results))
			}
			return nil
		},
	}
}

// accounts builds the clients of the named accounts, or of all of them.
func (e *env) accounts(names []string) ([]account.Client, error) {
	if err := e.load(); err != nil {
		return nil, err
	}
	picked := e.settings.Accounts
	if len(names) > 0 {
		picked = nil
		for _, name := range names {
			a, ok := e.settings.Account(name)
			if !ok {
				return nil, fmt.Errorf("no account is named %q in %s (%s)", name, e.paths.SettingsFile(), accountNames(e.settings.Accounts))
			}
			picked = append(picked, a)
		}
	}
	opts := account.Options{
		UserAgent:      e.userAgent(),
		ConnectTimeout: e.settings.ConnectTimeout,
		Timeout:        e.settings.Timeout,
		// A page of a server's entries holds many articles' text.
		MaxBodyBytes: max(e.settings.MaxBody, 64<<20),
	}
	clients := make([]account.Client, len(picked))
	for i, a := range picked {
		c, err := account.New(a, opts)
		if err != nil {
			return nil, err
		}
		clients[i] = c
	}
	return clients, nil
}

func accountNames(accounts []config.Account) string {
	if len(accounts) == 0 {
		return "it has none"
	}
	names := make([]string, len(accounts))
	for i, a := range accounts {
		names[i] = a.Name
	}
	return "it has " + strings.Join(names, ", ")
}

// reportAccounts prints a line per account that synced on stdout and one
// per account that did not on stderr, and returns how many did not.
func reportAccounts(stdout, stderr io.Writer, results []refresh.AccountResult) (failed int) {
	for _, r := range results {
		if r.Err == nil {
			fmt.Fprintln(stdout, syncLine(r))
			continue
		}
		failed++
		fmt.Fprintln(stderr, "byline: "+syncProblem(r))
	}
	return failed
}

func syncLine(r refresh.AccountResult) string {
	line := fmt.Sprintf("%s: %s, %s", r.Name, news.Count(r.Feeds, "feed"), news.Count(r.New, "new article"))
	if r.Ignored > 0 {
		line += fmt.Sprintf(", %d ignored", r.Ignored)
	}
	if r.Pushed > 0 {
		line += ", " + news.Count(r.Pushed, "change") + " sent"
	}
	if r.Changed > 0 {
		line += ", " + news.Count(r.Changed, "read/starred change") + " from the server"
	}
	if r.Waiting > 0 {
		line += "; " + news.Count(r.Waiting, "change") + " waiting"
	}
	return line
}

// syncProblem says why an account did not sync and what waits: "home:
// offline: 3 changes waiting (cannot reach …)".
func syncProblem(r refresh.AccountResult) string {
	reason := r.Err.Error()
	reason = strings.TrimPrefix(reason, "account "+r.Name+": ")
	if r.Offline() {
		reason = strings.TrimPrefix(reason, account.ErrOffline.Error()+": ")
		return fmt.Sprintf("%s: offline: %s waiting (%s)", r.Name, news.Count(r.Waiting, "change"), reason)
	}
	if errors.Is(r.Err, account.ErrAuth) {
		reason = "check username/password for account " + r.Name
	}
	line := r.Name + ": " + reason
	if r.Waiting > 0 {
		line += "; " + news.Count(r.Waiting, "change") + " waiting"
	}
	return line
}

// syncedAccounts are the names of the configured accounts, for the cache
// to keep their feeds.
func (e *env) syncedAccounts() []string {
	names := make([]string, len(e.settings.Accounts))
	for i, a := range e.settings.Accounts {
		names[i] = a.Name
	}
	return names
}

// keepAccounts unsubscribes the feeds of accounts no longer in config.toml.
func (e *env) keepAccounts(ctx context.Context, store *cache.Store) error {
	return store.KeepAccounts(ctx, e.syncedAccounts())
}
