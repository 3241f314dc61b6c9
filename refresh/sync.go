package refresh

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bylinehq/byline/account"
	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/news"
)

// SyncStore is what syncing an account needs of the cache; cache.Store
// satisfies it.
type SyncStore interface {
	Store
	AccountState(ctx context.Context, account, server string) ([]byte, error)
	PendingMarks(ctx context.Context, account string) ([]news.Mark, error)
	MarksPushed(ctx context.Context, marks []news.Mark) error
	SaveRemoteFeeds(ctx context.Context, account string, feeds []news.RemoteFeed) (map[string]int64, error)
	RemoteArticles(ctx context.Context, account, rules string) (map[string]bool, error)
	SaveRemoteItems(ctx context.Context, account string, feedIDs map[string]int64, p *cache.PreparedItems, state []byte) (int, error)
	ApplyRemoteState(ctx context.Context, account string, remote news.RemoteState, state []byte) (int, error)
	SaveAccountResult(ctx context.Context, account string, syncErr string) error
	Waiting(ctx context.Context) (map[string]int, error)
	Feeds(ctx context.Context) ([]news.Feed, error)
}

// AccountResult is how an account's sync went, or how far it is.
type AccountResult struct {
	Name    string
	Pushed  int // marks the server took
	New     int // articles new here
	Ignored int // entries the ignore rules kept out
	Changed int // read and starred flags the server changed here
	Feeds   int
	// Waiting is how many marks are left in the outbox.
	Waiting int
	// Step says what the sync is doing, while Done is false.
	Step string
	Done bool
	// Err is why the sync stopped; it wraps account.ErrOffline when the
	// server could not be reached and account.ErrAuth when it refused the
	// login.
	Err error
}

// Offline reports whether the sync stopped for want of the server.
func (r AccountResult) Offline() bool { return errors.Is(r.Err, account.ErrOffline) }

// Refresh fetches feeds and syncs accounts in one run with one writer, and
// reports both through onProgress: an event per feed, and per step and
// end of each account's sync. Like Run, it returns an error only when the
// cache fails; an account that cannot sync says why in its AccountResult,
// one per account in the order given.
func Refresh(ctx context.Context, store SyncStore, fetcher Fetcher, feeds []news.Feed, rules Rules, accounts []account.Client, now time.Time, onProgress func(Progress)) (Summary, []AccountResult, error) {
	syncs := make([]func(context.Context, *writer, func(AccountResult)) AccountResult, len(accounts))
	for i, c := range accounts {
		syncs[i] = func(ctx context.Context, w *writer, report func(AccountResult)) AccountResult {
			return syncAccount(ctx, store, c, rules, now, w, report)
		}
	}
	return run(ctx, store, fetcher, feeds, rules, syncs, now, onProgress)
}

// Sync syncs accounts alone, applying rules to what arrives; see Refresh.
func Sync(ctx context.Context, store SyncStore, accounts []account.Client, rules Rules, onProgress func(Progress)) ([]AccountResult, error) {
	_, results, err := Refresh(ctx, store, nil, nil, rules, accounts, time.Now(), onProgress)
	return results, err
}

// writer hands writes to the loop in run, the one goroutine that writes.
type writer struct {
	jobs chan writeJob
}

type writeJob struct {
	fn   func(context.Context) error
	done chan error
}

// write runs fn on the writer and waits for it.
func (w *writer) write(ctx context.Context, fn func(context.Context) error) error {
	return w.start(ctx, fn).wait(ctx)
}

// start queues fn on the writer; the result's wait returns fn's error.
func (w *writer) start(ctx context.Context, fn func(context.Context) error) pendingWrite {
	job := writeJob{fn: fn, done: make(chan error, 1)}
	select {
	case w.jobs <- job:
	case <-ctx.Done():
		job.done <- ctx.Err()
	}
	return pendingWrite(job.done)
}

type pendingWrite chan error

// wait returns the write's error. A write that was handed over finishes
// even when ctx ends: it is a transaction, and what is in flight is kept.
func (p pendingWrite) wait(context.Context) error {
	if p == nil {
		return nil
	}
	return <-p
}

// serve runs one account write on the loop's goroutine. After a storage
// failure nothing more is written; the first failure stops the run.
func (w *writer) serve(ctx context.Context, job writeJob, storeErr error, cancel func()) error {
	if storeErr != nil {
		job.done <- storeErr
		return storeErr
	}
	err := job.fn(context.WithoutCancel(ctx))
	job.done <- err
	if err != nil && !errors.Is(err, cache.ErrUnknownFeed) {
		cancel()
		return err
	}
	return nil
}

// syncAccount pushes the account's waiting marks, then pulls its feeds,
// entries and state; the entries pass the rules as a refresh's items do.
// Every write goes through w; report hears each step.
func syncAccount(ctx context.Context, store SyncStore, c account.Client, rules Rules, now time.Time, w *writer, report func(AccountResult)) (res AccountResult) {
	name := c.Name()
	res = AccountResult{Name: name}
	step := func(s string) {
		res.Step = s
		report(res)
	}
	defer func() {
		res.Done, res.Step = true, ""
		if waiting, err := store.Waiting(context.WithoutCancel(ctx)); err == nil {
			res.Waiting = waiting[name]
		}
		message := ""
		if res.Err != nil {
			message = res.Err.Error()
		}
		if err := w.write(ctx, func(ctx context.Context) error { return store.SaveAccountResult(ctx, name, message) }); err != nil && res.Err == nil {
			res.Err = err
		}
	}()

	var cursor []byte
	err := w.write(ctx, func(ctx context.Context) (err error) {
		cursor, err = store.AccountState(ctx, name, c.Server())
		return err
	})
	if err != nil {
		res.Err = err
		return res
	}

	// Push first: what the server says afterwards includes these marks.
	marks, err := store.PendingMarks(ctx, name)
	if err != nil {
		res.Err = err
		return res
	}
	if len(marks) > 0 {
		step(fmt.Sprintf("sending %d changes", len(marks)))
		err = c.Push(ctx, marks, func(acked []news.Mark) error {
			if err := w.write(ctx, func(ctx context.Context) error { return store.MarksPushed(ctx, acked) }); err != nil {
				return err
			}
			res.Pushed += len(acked)
			return nil
		})
		if err != nil {
			res.Err = err
			return res
		}
	}

	step("feeds")
	var feedIDs map[string]int64
	var arrive *arrival
	saveFeeds := func() error {
		remote, err := c.Feeds(ctx)
		if err != nil {
			return err
		}
		res.Feeds = len(remote)
		err = w.write(ctx, func(ctx context.Context) (err error) {
			feedIDs, err = store.SaveRemoteFeeds(ctx, name, remote)
			return err
		})
		if err != nil {
			return err
		}
		arrive, err = newArrival(ctx, store, rules, name, remote, feedIDs, now)
		return err
	}
	if err := saveFeeds(); err != nil {
		res.Err = err
		return res
	}
	known, err := store.RemoteArticles(ctx, name, rules.fingerprint)
	if err != nil {
		res.Err = err
		return res
	}

	// A batch is stored while the client fetches the next one: one write
	// in flight at a time, so the cursor never passes what is stored.
	step("entries")
	var newItems, ignored int
	saveItems := func(p *cache.PreparedItems, cursor []byte, ignoredHere int) func(context.Context) error {
		return func(ctx context.Context) error {
			n, err := store.SaveRemoteItems(ctx, name, feedIDs, p, cursor)
			if err == nil {
				newItems += n
				ignored += ignoredHere
			}
			return err
		}
	}
	var inFlight pendingWrite
	var inFlightItems []news.RemoteItem
	var inFlightCursor []byte
	// settle waits for the write in flight. An entry of a feed the server
	// listed after the sync read its feeds makes it read them again, and
	// the batch is judged again by those feeds' rules.
	settle := func() error {
		err := inFlight.wait(ctx)
		inFlight = nil
		if errors.Is(err, cache.ErrUnknownFeed) {
			if err = saveFeeds(); err == nil {
				p, n := arrive.prepare(inFlightItems)
				err = w.write(ctx, saveItems(p, inFlightCursor, n))
			}
		}
		res.New, res.Ignored = newItems, ignored
		return err
	}
	err = c.Pull(ctx, cursor, known, func(b account.Batch) error {
		if err := settle(); err != nil {
			return err
		}
		if len(b.Items) > 0 {
			step(fmt.Sprintf("entries: %d new", res.New))
			inFlightItems, inFlightCursor = b.Items, b.Cursor
			if b.State != nil {
				inFlightCursor = nil // stored with the state
			}
			p, n := arrive.prepare(b.Items)
			inFlight = w.start(ctx, saveItems(p, inFlightCursor, n))
		}
		if b.State == nil {
			return nil
		}
		if err := settle(); err != nil {
			return err
		}
		return w.write(ctx, func(ctx context.Context) error {
			n, err := store.ApplyRemoteState(ctx, name, *b.State, b.Cursor)
			res.Changed += n
			return err
		})
	})
	if serr := settle(); err == nil {
		err = serr
	}
	res.New, res.Ignored = newItems, ignored
	if errors.Is(err, cache.ErrUnknownFeed) {
		err = fmt.Errorf("account %s: the server's feeds changed during the sync; the next sync catches up", name)
	}
	res.Err = err
	return res
}

// arrival judges a sync account's entries as they arrive by the rules, as
// a refresh judges a feed's items: one code path, admit, for both.
type arrival struct {
	rules Rules
	feeds map[string]news.Feed // by the server's id
	now   time.Time
}

// newArrival returns the arrival of the account's entries, whose feeds the
// server listed as remote and the cache stored as feedIDs. Without rules
// that could turn an entry away it needs nothing of the cache.
func newArrival(ctx context.Context, store SyncStore, rules Rules, name string, remote []news.RemoteFeed, feedIDs map[string]int64, now time.Time) (*arrival, error) {
	a := &arrival{rules: rules, now: now}
	if rules.fingerprint == "" {
		return a, nil
	}
	// The feeds as the cache has them, counts included, as a refresh
	// judges its feeds' items.
	stored, err := store.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]news.Feed, len(stored))
	for _, f := range stored {
		byID[f.ID] = f
	}
	a.feeds = make(map[string]news.Feed, len(remote))
	for _, rf := range remote {
		if f, ok := byID[feedIDs[rf.ID]]; ok {
			a.feeds[rf.ID] = f
		}
	}
	return a, nil
}

// prepare makes a batch of entries ready for the cache: what the rules
// turn away is left out and remembered as kept out. It returns how many
// the ignore rules took. items is not changed.
func (a *arrival) prepare(items []news.RemoteItem) (*cache.PreparedItems, int) {
	if a.rules.fingerprint == "" {
		return cache.PrepareRemote(items), 0
	}
	// Grouped by feed, in the order the feeds first come: max-items and
	// the ignore rules are each feed's own.
	var order []string
	groups := map[string][]news.RemoteItem{}
	for _, it := range items {
		if _, seen := groups[it.FeedID]; !seen {
			order = append(order, it.FeedID)
		}
		groups[it.FeedID] = append(groups[it.FeedID], it)
	}
	var kept []news.RemoteItem
	var out []string
	ignored := 0
	for _, feedID := range order {
		group := groups[feedID]
		f, ok := a.feeds[feedID]
		if !ok {
			// A feed listed after the sync read the list: the cache
			// refuses the batch, and the sync reads the list again.
			kept = append(kept, group...)
			continue
		}
		in, away, n := admit(a.rules, f, group, func(it news.RemoteItem) news.Article {
			art := itemArticle(it.Item, f, a.now)
			art.Read, art.Starred = it.Read, it.Starred
			return art
		}, a.now)
		kept = append(kept, in...)
		for _, it := range away {
			out = append(out, it.GUID)
		}
		ignored += n
	}
	p := cache.PrepareRemote(kept)
	if len(out) > 0 {
		p.KeptOut(a.rules.fingerprint, out)
	}
	return p, ignored
}
