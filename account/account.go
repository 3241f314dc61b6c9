// Package account syncs with the feed servers people already run: one
// client per API (Miniflux's REST API, and the Google Reader API of
// FreshRSS, Inoreader, The Old Reader, BazQux and Miniflux), each behind
// the Client methods that the sync service in refresh uses. Their wire
// types stay in here; what leaves is news types: RemoteFeed, RemoteItem,
// RemoteState and Mark.
//
// The clients are polite: one request at a time, gzip, a connect and a
// total timeout per request, a bound on every response body, a few retries
// on 429 and 5xx that honour Retry-After, and no retry at all after a
// refused login. Secrets come from a command or the environment when first
// needed, live in memory only, and are cut out of every error.
package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/news"
)

// Batch is one step of a pull, stored in one transaction: entries, or the
// server's whole read and starred state, and the client's cursor past them.
type Batch struct {
	Items  []news.RemoteItem
	State  *news.RemoteState // applied after Items when set
	Cursor []byte            // nil keeps the stored cursor
}

// Client is one account's server.
type Client interface {
	// Name is the account's name from config.toml.
	Name() string
	// Server identifies the server (type and URL); a cursor is only
	// good for the server it came from.
	Server() string
	// Push sends marks to the server in batches, calling acked with each
	// batch the server has taken. Every mark sets a state (never
	// toggles), so sending one twice changes nothing.
	Push(ctx context.Context, marks []news.Mark, acked func([]news.Mark) error) error
	// Feeds lists the subscriptions on the server.
	Feeds(ctx context.Context) ([]news.RemoteFeed, error)
	// Pull fetches what changed since cursor and hands it to save in
	// order; known holds the server ids of the entries stored already.
	Pull(ctx context.Context, cursor []byte, known map[string]bool, save func(Batch) error) error
	// Subscribe adds the feed at url (or the first feed found there) under
	// tags, where the server allows them, and returns it.
	Subscribe(ctx context.Context, url string, tags []string) (news.RemoteFeed, error)
	// Unsubscribe removes the feed with the server's id.
	Unsubscribe(ctx context.Context, feedID string) error
}

// Options are the network settings a client shares with the feed fetcher.
type Options struct {
	UserAgent      string
	ConnectTimeout time.Duration
	Timeout        time.Duration // one request, start to end
	MaxBodyBytes   int64         // one response, after decompression
	// Getenv reads password-env and token-env; nil means os.Getenv.
	Getenv func(string) string
}

// New returns the client for a.
func New(a config.Account, opts Options) (Client, error) {
	h, err := newHTTP(a, opts)
	if err != nil {
		return nil, err
	}
	switch a.Type {
	case config.AccountMiniflux:
		return &miniflux{http: h}, nil
	case config.AccountGReader:
		return &greader{http: h}, nil
	}
	return nil, fmt.Errorf("account %s: unknown type %q", a.Name, a.Type)
}

var (
	// ErrAuth means the server refused the account's credentials (401 or
	// 403). The client does not try again.
	ErrAuth = errors.New("the server refused the login")
	// ErrOffline means the server could not be reached: no network, a
	// refused connection, or no answer in time.
	ErrOffline = errors.New("offline")
)
