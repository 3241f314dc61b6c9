package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServesUntilCancelledWithControlEndpoints(t *testing.T) {
	dir := t.TempDir()
	urls, controlFile := filepath.Join(dir, "urls"), filepath.Join(dir, "control")
	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-feeds", "6", "-items", "2", "-words", "20", "-format", "atom",
			"-urls", urls, "-control-file", controlFile}, &stdout, &stderr)
	}()

	var control []byte
	for deadline := time.Now().Add(10 * time.Second); len(control) == 0; {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no control file after 10 s; stderr: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
		control, _ = os.ReadFile(controlFile)
	}
	controlURL := strings.TrimSpace(string(control))

	list, err := os.ReadFile(urls)
	if err != nil {
		t.Fatal(err)
	}
	feedURL := strings.Fields(strings.Split(string(list), "\n")[1])[0]
	if status, _ := call(t, http.MethodGet, feedURL); status != http.StatusOK {
		t.Errorf("GET %s: status %d, want 200", feedURL, status)
	}
	if status, body := call(t, http.MethodPost, controlURL+"/bump"); status != http.StatusOK || body != "generation 1\n" {
		t.Errorf("POST /bump: %d %q, want 200 \"generation 1\"", status, body)
	}
	if _, body := call(t, http.MethodGet, controlURL+"/stats"); !strings.Contains(body, "requests 1\nok 1\n") {
		t.Errorf("GET /stats = %q, want one request answered 200", body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v after cancel, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return within 10 s of cancel")
	}
	if !strings.Contains(stdout.String(), "6 feeds × 2 items (atom") {
		t.Errorf("stdout %q does not describe what is served", stdout.String())
	}
}

func TestRejectsNonLoopbackControlAddress(t *testing.T) {
	err := run(t.Context(), []string{"-urls", filepath.Join(t.TempDir(), "urls"), "-control", "0.0.0.0:0"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("run with -control 0.0.0.0:0 = %v, want a loopback error", err)
	}
}

func call(t *testing.T, method, u string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}
