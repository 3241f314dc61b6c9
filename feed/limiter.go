package feed

import (
	"context"
	"net/url"
	"strings"
	"sync"
)

// HostLimiter bounds how many requests go to one host at once, so that a
// refresh of fifty feeds from one site, or article pages fetched while it
// runs, do not hammer that site. Hosts are told apart by host and port, so
// servers on different loopback ports count as different hosts.
type HostLimiter struct {
	perHost int
	mu      sync.Mutex
	slots   map[string]chan struct{}
}

// NewHostLimiter returns a limiter allowing perHost requests (at least one)
// to each host at once.
func NewHostLimiter(perHost int) *HostLimiter {
	return &HostLimiter{perHost: max(perHost, 1), slots: make(map[string]chan struct{})}
}

// Acquire waits for a slot for rawURL's host and returns the function that
// gives it back. It fails only when ctx ends first.
func (l *HostLimiter) Acquire(ctx context.Context, rawURL string) (release func(), err error) {
	sem := l.semaphore(hostKey(rawURL))
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (l *HostLimiter) semaphore(host string) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	sem, ok := l.slots[host]
	if !ok {
		sem = make(chan struct{}, l.perHost)
		l.slots[host] = sem
	}
	return sem
}

// hostKey is "host:port" as written in the URL, lower-cased. A URL that does
// not parse is its own key; fetching it fails at once anyway.
func hostKey(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	return strings.ToLower(u.Host)
}
