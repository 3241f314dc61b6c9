// Command byline is a terminal news reader. main only wires the process to
// the cli package: arguments, standard streams and the exit code.
package main

import (
	"context"
	"os"

	"github.com/bylinehq/byline/cli"
)

// Release builds set these (-ldflags "-X main.version=... -X main.commit=...
// -X main.date=..."); `go install` builds leave them empty, and the version
// then comes from the module's build information.
var version, commit, date string

func main() {
	os.Exit(cli.Execute(context.Background(), cli.Build{Version: version, Commit: commit, Date: date}, os.Args[1:], os.Stdout, os.Stderr))
}
