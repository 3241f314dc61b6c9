package account

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/bylinehq/byline/config"
)

// A server that is down is named once, with why in the system's words:
// the status line it goes to is one line of the screen.
func TestUnreachableServerIsSaidPlainly(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := New(config.Account{Name: "home", Type: config.AccountMiniflux, URL: "http://" + addr,
		Username: "me", PasswordEnv: "PW"}, Options{Timeout: 5 * time.Second, Getenv: func(string) string { return "secret" }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Feeds(context.Background())
	if !errors.Is(err, ErrOffline) {
		t.Fatalf("err = %v, want ErrOffline", err)
	}
	if want := "account home: offline: cannot reach " + addr + " (connect: connection refused)"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if n := strings.Count(err.Error(), addr); n != 1 {
		t.Errorf("the address is named %d times", n)
	}
}
