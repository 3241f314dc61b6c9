package cli

import (
	"context"

	"github.com/bylinehq/byline/refresh"
	"github.com/bylinehq/byline/ui"
)

// runTUI opens the interactive reader over the cache.
func (e *env) runTUI(ctx context.Context) error {
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	fetcher := e.fetcher()
	return ui.Run(ctx, ui.Deps{
		Store:     store,
		Reader:    e.reader(store, fetcher),
		Refresher: refresh.Background{Store: store, Fetcher: fetcher, KeepDays: e.settings.KeepDays},
	}, e.settings)
}
