package feed

import (
	"context"
	"fmt"
	"sync"

	"github.com/bylinehq/byline/news"
)

// Job is one feed for Refresh to fetch.
type Job struct {
	URL        string
	Validators news.Validators
	// UserAgent, when set, is sent instead of Options.UserAgent: the
	// feed's own setting, for a site that refuses the usual one.
	UserAgent string
}

// Refresh fetches every job, at most Options.Jobs at once and Options.PerHost
// to one host at once, and sends exactly one Result per job on the returned
// channel in completion order. The channel is closed once all are sent; the
// caller must drain it.
//
// When ctx ends, fetches in flight abort and jobs not yet started are sent as
// StatusFailed with ctx's error, so every job is still accounted for.
func (f *Fetcher) Refresh(ctx context.Context, jobs []Job) <-chan Result {
	out := make(chan Result, f.opts.Jobs)
	running := make(chan struct{}, f.opts.Jobs)
	var wg sync.WaitGroup
	// Each host gets its own few workers over its own queue: a site with
	// many feeds then waits on its own limit without holding the global
	// slots that other sites' feeds could use.
	for _, queue := range jobsByHost(jobs) {
		for range min(f.opts.PerHost, len(queue)) {
			wg.Go(func() {
				for job := range queue {
					out <- f.runJob(ctx, running, job)
				}
			})
		}
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

func (f *Fetcher) runJob(ctx context.Context, running chan struct{}, job Job) Result {
	notStarted := func() Result {
		return Result{
			URL:        job.URL,
			Status:     StatusFailed,
			Validators: job.Validators,
			Err:        fmt.Errorf("fetch %s: %w", job.URL, ctx.Err()),
		}
	}
	if ctx.Err() != nil {
		return notStarted()
	}
	select {
	case running <- struct{}{}:
	case <-ctx.Done():
		return notStarted()
	}
	defer func() { <-running }()
	if job.UserAgent != "" {
		ctx = WithUserAgent(ctx, job.UserAgent)
	}
	return f.Fetch(ctx, job.URL, job.Validators)
}

// jobsByHost returns one closed, filled channel of jobs per host, in the
// order the hosts first appear.
func jobsByHost(jobs []Job) []chan Job {
	var order []string
	byHost := make(map[string][]Job)
	for _, job := range jobs {
		host := hostKey(job.URL)
		if _, seen := byHost[host]; !seen {
			order = append(order, host)
		}
		byHost[host] = append(byHost[host], job)
	}
	queues := make([]chan Job, 0, len(order))
	for _, host := range order {
		queue := make(chan Job, len(byHost[host]))
		for _, job := range byHost[host] {
			queue <- job
		}
		close(queue)
		queues = append(queues, queue)
	}
	return queues
}
