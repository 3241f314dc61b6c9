// Command byline is a terminal news reader. main only wires the process to
// the cli package: arguments, standard streams and the exit code.
package main

import (
	"context"
	"os"

	"github.com/bylinehq/byline/cli"
)

// version is set by release builds (-ldflags "-X main.version=...").
var version string

func main() {
	os.Exit(cli.Execute(context.Background(), version, os.Args[1:], os.Stdout, os.Stderr))
}
