// Command feedserver serves synthetic feeds on loopback addresses for
// byline's benchmarks (see bench/README.md) until it gets SIGINT or SIGTERM.
//
// It writes a newsboat-format urls file for the feeds and, on a separate
// loopback control address, answers GET /stats (counters as "name value"
// lines, easy to read from a shell) and POST /bump (every feed gets a new
// item and new validators).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/bylinehq/byline/bench/feedserver"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "feedserver:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var opts feedserver.Options
	var epoch, urlsPath, controlAddr, controlFile string
	fs := flag.NewFlagSet("feedserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&opts.Feeds, "feeds", 200, "number of feeds")
	fs.IntVar(&opts.Items, "items", 50, "items per feed")
	fs.DurationVar(&opts.Latency, "latency", 0, "delay before the first byte of every response")
	fs.IntVar(&opts.Hosts, "hosts", 0, "loopback addresses to spread feeds over (0: one per 4 feeds)")
	fs.StringVar(&opts.Format, "format", "rss", "rss, atom or json")
	fs.Uint64Var(&opts.Seed, "seed", 1, "content seed: same flags, same bytes")
	fs.IntVar(&opts.ItemWords, "words", 500, "words of HTML content per item")
	fs.StringVar(&epoch, "epoch", "", "RFC 3339 date of the newest items (default: a day ago, on the hour)")
	fs.StringVar(&urlsPath, "urls", "", "write the newsboat-format urls file here (required)")
	fs.StringVar(&controlAddr, "control", "127.0.0.1:0", "loopback address for /stats and /bump")
	fs.StringVar(&controlFile, "control-file", "", "once serving, write the control URL here (for scripts to wait on)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if urlsPath == "" {
		return errors.New("-urls is required")
	}
	if epoch != "" {
		t, err := time.Parse(time.RFC3339, epoch)
		if err != nil {
			return fmt.Errorf("-epoch: %w", err)
		}
		opts.Epoch = t
	}
	if err := checkLoopback(controlAddr); err != nil {
		return err
	}

	srv, err := feedserver.Start(opts)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := srv.WriteURLs(urlsPath); err != nil {
		return err
	}

	ctl, err := net.Listen("tcp", controlAddr)
	if err != nil {
		return fmt.Errorf("control listener: %w", err)
	}
	control := &http.Server{Handler: controlHandler(srv), ReadHeaderTimeout: 5 * time.Second}
	controlDone := make(chan error, 1)
	go func() { controlDone <- control.Serve(ctl) }()
	defer control.Close()

	controlURL := "http://" + ctl.Addr().String()
	o := srv.Options()
	fmt.Fprintf(stdout, "feedserver: %d feeds × %d items (%s, ~%d words) on %d loopback hosts, latency %v\nurls: %s\ncontrol: %s\n",
		o.Feeds, o.Items, o.Format, o.ItemWords, o.Hosts, o.Latency, urlsPath, controlURL)
	if controlFile != "" {
		if err := writeFileAtomic(controlFile, controlURL+"\n"); err != nil {
			return err
		}
	}

	select {
	case <-ctx.Done():
	case err := <-controlDone:
		return fmt.Errorf("control listener: %w", err)
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	st := srv.Stats()
	fmt.Fprintf(stderr, "feedserver: stopped after %d requests (%d × 200, %d × 304, %d body bytes)\n",
		st.Requests, st.OK, st.NotModified, st.Bytes)
	if errors.Is(err, context.DeadlineExceeded) {
		return nil // clients still connected after the grace period: not our failure
	}
	return err
}

func controlHandler(srv *feedserver.Server) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		st := srv.Stats()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "requests %d\nok %d\nnot_modified %d\nbytes %d\n", st.Requests, st.OK, st.NotModified, st.Bytes)
	})
	mux.HandleFunc("POST /bump", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if r.URL.Query().Has("feeds") {
			// ?feeds=N&items=K: N of the feeds gain K items each.
			n, err1 := strconv.Atoi(r.URL.Query().Get("feeds"))
			k, err2 := strconv.Atoi(r.URL.Query().Get("items"))
			if err1 != nil || err2 != nil || k < 1 {
				http.Error(w, "want feeds=N&items=K", http.StatusBadRequest)
				return
			}
			fmt.Fprintf(w, "bumped %d feeds by %d items\n", srv.BumpSome(n, k), k)
			return
		}
		fmt.Fprintf(w, "generation %d\n", srv.Bump())
	})
	return mux
}

// checkLoopback refuses a control address other machines could reach: /bump
// changes what the benchmark measures.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-control %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-control %q: want a loopback IP address", addr)
	}
	return nil
}

// writeFileAtomic writes data so that a script polling for path never reads
// it half-written.
func writeFileAtomic(path, data string) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
