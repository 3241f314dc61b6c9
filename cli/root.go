// Package cli is byline's command line: one file per group of subcommands,
// all sharing the env that resolves paths, settings and the cache.
package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Build is what a release build stamps into the binary (-ldflags -X);
// all of it may be empty.
type Build struct {
	Version, Commit, Date string
}

// Execute runs byline with args and returns the process exit code.
func Execute(ctx context.Context, build Build, args []string, stdout, stderr io.Writer) int {
	// One write per table cell or JSON token cost 2,000 feeds' listing a
	// third of its time in system calls; output leaves in large blocks.
	out := bufio.NewWriterSize(stdout, 64<<10)
	e := &env{version: resolveVersion(build.Version), stdout: out, stderr: stderr}
	shown := e.version
	if build.Date != "" {
		shown += " built " + build.Date
	}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetOut(out)
	root.SetErr(stderr)
	err := fang.Execute(ctx, root, fang.WithVersion(shown), fang.WithCommit(build.Commit),
		fang.WithNotifySignal(os.Interrupt), fang.WithErrorHandler(printError), fang.WithoutManpage())
	if flushErr := out.Flush(); err == nil && flushErr != nil {
		printError(stderr, fang.Styles{}, fmt.Errorf("write output: %w", flushErr))
		err = flushErr
	}
	return exitCode(err)
}

// printError is the one line every failed command leaves on stderr. It
// replaces fang's default handler, which title-cased the first word (a
// path came out as /Tmp/X/Config.toml, a flag as --Feed), padded the text
// to the terminal's width and framed it in an ERROR block. Joined errors
// (several mistakes in one file) stay on the one line.
func printError(w io.Writer, _ fang.Styles, err error) {
	msg := err.Error()
	if errors.Is(err, context.Canceled) && !errors.As(err, new(*interruptedError)) {
		msg = "interrupted"
	}
	lines := strings.FieldsFunc(msg, func(r rune) bool { return r == '\n' || r == '\r' })
	fmt.Fprintf(w, "byline: %s\n", strings.Join(lines, "; "))
}

// exitCode is 0 for success, 130 for a command stopped by ctrl+c (what a
// shell reports for a process that SIGINT ended) and 1 for any other error.
func exitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, context.Canceled):
		return 130
	}
	return 1
}

// interruptedError is a command's own account of being stopped by ctrl+c,
// which printError shows instead of a bare "interrupted".
type interruptedError struct{ msg string }

func (e *interruptedError) Error() string { return e.msg }
func (e *interruptedError) Unwrap() error { return context.Canceled }

// Heap limits of commands that are short and have a known appetite; the
// others, refresh and the reader above all, keep the runtime's defaults.
const (
	// queryHeapLimit is the heap a query command may reach before it
	// collects garbage at all; see query.
	queryHeapLimit = 32 << 20
	// pageHeapLimit keeps a command that extracts one page within its
	// memory budget (a 5 MB page read in 100 MB): the collector works
	// harder as the heap nears it, which cost 6% more CPU on that page.
	pageHeapLimit = 56 << 20
)

// query marks cmd as a query of the cache: it lives for tens of
// milliseconds and allocates a few megabytes, and the collector's cycles
// from the runtime's 4 MB starting goal were a fifth of its CPU time
// (2,000 feeds listed). Such a command collects only past queryHeapLimit.
func query(cmd *cobra.Command) *cobra.Command {
	return withHeap(cmd, -1, queryHeapLimit)
}

// pageReader marks cmd as one that may extract and render a large page:
// without a limit, the heap grew to twice the page's parsed document
// before the collector ran.
func pageReader(cmd *cobra.Command) *cobra.Command {
	return withHeap(cmd, 100, pageHeapLimit)
}

// noStarterFor marks cmd as one that gives byline feeds or works on the
// feed list there is, so it never writes the starter list.
func (e *env) noStarterFor(cmd *cobra.Command) *cobra.Command {
	run := cmd.RunE
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		e.noStarter = true
		return run(cmd, args)
	}
	return cmd
}

// withHeap sets the collector's percentage and soft memory limit for cmd,
// unless the user set GOGC or GOMEMLIMIT themselves.
func withHeap(cmd *cobra.Command, gcPercent int, limit int64) *cobra.Command {
	run := cmd.RunE
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
			debug.SetGCPercent(gcPercent)
			debug.SetMemoryLimit(limit)
		}
		return run(cmd, args)
	}
	return cmd
}

// unknownCommand is the root's argument check: the root takes none, so an
// argument is a mistyped command, and a near miss is suggested ("lsit").
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	suggestions := cmd.SuggestionsFor(args[0])
	if len(suggestions) == 0 {
		return fmt.Errorf("unknown command %q (byline --help lists them)", args[0])
	}
	for i, s := range suggestions {
		suggestions[i] = strconv.Quote(s)
	}
	return fmt.Errorf("unknown command %q (did you mean %s?)", args[0], strings.Join(suggestions, " or "))
}

// flagError rewords pflag's errors: a bad value came out as
// `invalid argument "abc" for "--limit" flag: strconv.ParseInt: parsing
// "abc": invalid syntax`, Go's words rather than the user's.
func flagError(cmd *cobra.Command, err error) error {
	var invalid *pflag.InvalidValueError
	if !errors.As(err, &invalid) {
		return fmt.Errorf("%w (%s --help lists the flags)", err, cmd.CommandPath())
	}
	want := "a valid value"
	switch invalid.GetFlag().Value.Type() {
	case "int", "int64", "uint":
		want = "a whole number"
	case "bool":
		want = "true or false"
	}
	return fmt.Errorf("--%s %q: want %s", invalid.GetFlag().Name, invalid.GetValue(), want)
}

// resolveVersion prefers the release's ldflags, then the module version that
// `go install module@version` records.
func resolveVersion(ldflagsVersion string) string {
	if ldflagsVersion != "" {
		return ldflagsVersion
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "byline",
		Short: "A terminal news reader that keeps the news readable offline",
		Long: `byline reads RSS, Atom and JSON feeds, keeps every article in a local cache
and lets you read them in the terminal, online or off.

Run byline with no command to open the reader. The commands below are for
scripts and cron jobs; every one takes --home to use another directory.`,
		Args: unknownCommand,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.runTUI(cmd.Context())
		},
		SuggestionsMinimumDistance: 2,
	}
	root.SetFlagErrorFunc(flagError)
	root.PersistentFlags().Var(&e.home, "home", "keep config and data under DIR (default: $BYLINE_HOME, else the XDG directories)")
	root.AddCommand(
		e.noStarterFor(newAddCmd(e)), e.noStarterFor(newRemoveCmd(e)), e.noStarterFor(newImportCmd(e)), e.noStarterFor(newExportCmd(e)),
		newMigrateCmd(e),
		newRefreshCmd(e), e.noStarterFor(newSyncCmd(e)), query(newFeedsCmd(e)), query(newListCmd(e)), query(newSearchCmd(e)),
		newMarkCmd(e), newPurgeCmd(e), pageReader(newReadCmd(e)), pageReader(newLinksCmd(e)), newManCmd(e),
	)
	return root
}
