// Command hostile serves bench/hostile's misbehaving feeds and pages on
// 127.0.0.1 until SIGINT or SIGTERM, for trying byline (or any reader)
// against them by hand:
//
//	go run ./bench/cmd/hostile -urls /tmp/hostile-urls
//	byline --home /tmp/h refresh   # with /tmp/h/urls a copy of that file
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/bylinehq/byline/bench/hostile"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var opts hostile.Options
	var urlsPath string
	fs := flag.NewFlagSet("hostile", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&opts.DripEvery, "drip", time.Second, "pause between the bytes of the drip cases")
	fs.IntVar(&opts.RedirectHops, "hops", 50, "length of the redirect chain")
	fs.IntVar(&opts.Items, "items", 100_000, "items of the big feed")
	fs.Int64Var(&opts.ContentBytes, "content-bytes", 50_000_000, "size of the huge content:encoded and page")
	fs.IntVar(&opts.Depth, "depth", 1_000_000, "nesting of the deep XML and HTML")
	fs.StringVar(&opts.SecretFile, "secret", "/etc/passwd", "local file the external entities point at")
	fs.StringVar(&urlsPath, "urls", "", "also write a urls file of the feed cases and the good feeds here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv, err := hostile.Start(opts)
	if err != nil {
		return err
	}
	defer srv.Close()
	var urls strings.Builder
	for _, c := range srv.Cases() {
		kind := "feed"
		if c.Page {
			kind = "page"
		} else {
			fmt.Fprintf(&urls, "%s \"hostile\" \"%s\"\n", srv.URL(c.Name), c.Name)
		}
		fmt.Fprintf(stdout, "%-16s %s %s\n    %s\n", c.Name, kind, srv.URL(c.Name), c.About)
	}
	for _, u := range srv.GoodURLs() {
		fmt.Fprintf(&urls, "%s \"good\"\n", u)
		fmt.Fprintf(stdout, "%-16s feed %s\n", "good", u)
	}
	if urlsPath != "" {
		if err := os.WriteFile(urlsPath, []byte(urls.String()), 0o644); err != nil {
			return err
		}
	}
	<-ctx.Done()
	return nil
}
