package cli

import (
	"context"

	"github.com/bylinehq/byline/refresh"
	"github.com/bylinehq/byline/ui"
)

// runTUI opens the interactive reader over the cache.
func (e *env) runTUI(ctx context.Context) error {
	e.forReader = true
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	fetcher := e.fetcher()
	rules, err := refresh.NewRules(e.settings)
	if err != nil {
		return err
	}
	// Building the clients does no I/O: the first frame never waits on a server.
	accounts, err := e.accounts(nil)
	if err != nil {
		return err
	}
	return ui.Run(ctx, ui.Deps{
		Store:     store,
		Reader:    e.reader(store, fetcher),
		Refresher: refresh.Background{Store: store, Fetcher: fetcher, Accounts: accounts, Rules: rules},
		FeedList:  &readerFeedList{e: e, store: store, fetcher: fetcher},
		Warnings:  e.readerWarnings,
	}, e.settings)
}
