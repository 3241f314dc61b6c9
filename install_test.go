package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

const modulePath = "github.com/bylinehq/byline"

// TestGoInstall checks that `go install github.com/bylinehq/byline@VERSION`
// works for this checkout: it serves the working tree as that module version
// from a file:// module proxy, installs it the way a user would (no cgo, no
// replace directives, dependencies from the module cache) and
// checks that the binary reports the module version, which it reads from its
// build info when no -ldflags set one.
//
// It compiles byline and every dependency afresh, without cgo, as a module
// outside this checkout (two minutes on a cold cache), so it runs only in CI
// (CI=true) or with BYLINE_LONG=1, which .ci/run sets.
func TestGoInstall(t *testing.T) {
	if os.Getenv("BYLINE_LONG") == "" && os.Getenv("CI") != "true" {
		t.Skip("builds byline from a module proxy; set BYLINE_LONG=1 (.ci/run does) to run it")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	repo, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}

	// A version of its own for every run: the module cache keeps what it once
	// downloaded, so a fixed version would install a stale copy next time.
	version := "v0.0.0-installtest." + strconv.FormatInt(time.Now().UnixNano(), 10)
	mv := module.Version{Path: modulePath, Version: version}
	proxy := t.TempDir()
	writeProxy(t, proxy, repo, mv)

	gobin := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	modCache := goEnv(t, goBin, "GOMODCACHE")
	t.Cleanup(func() { removeFromModCache(t, modCache, mv) })

	install := exec.CommandContext(ctx, goBin, "install", modulePath+"@"+version)
	install.Dir = t.TempDir() // outside this module, as a user would run it
	install.Env = append(os.Environ(),
		"GOBIN="+gobin,
		"CGO_ENABLED=0",
		"GOFLAGS=-mod=mod",
		// Tests never reach the internet: the dependencies come from the
		// module cache, which building this test filled, laid out as a
		// proxy; go.sum still checks each of them.
		"GOPROXY="+fileURL(proxy)+","+fileURL(filepath.Join(modCache, "cache", "download")),
		"GOSUMDB=off",
		"GOTOOLCHAIN=local",
		"GOWORK=off",
	)
	out, err := install.CombinedOutput()
	if err != nil {
		t.Fatalf("go install %s@%s: %v\n%s", modulePath, version, err, out)
	}

	exe := filepath.Join(gobin, "byline")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	run := exec.CommandContext(ctx, exe, "--version")
	run.Env = append(os.Environ(), "NO_COLOR=1", "TERM=dumb", "BYLINE_HOME="+t.TempDir())
	got, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("byline --version: %v\n%s", err, got)
	}
	if !strings.Contains(string(got), version) {
		t.Fatalf("byline --version printed %q, want it to contain the module version %s", got, version)
	}
	t.Logf("byline --version: %s", bytes.TrimSpace(got))
}

// writeProxy lays out a GOPROXY directory serving the module in dir as mv:
// list, .info, .mod and .zip under $proxy/<module>/@v/.
func writeProxy(t *testing.T, proxy, dir string, mv module.Version) {
	t.Helper()
	escaped, err := module.EscapePath(mv.Path)
	if err != nil {
		t.Fatal(err)
	}
	vdir := filepath.Join(proxy, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		t.Fatal(err)
	}
	goMod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(goMod, []byte("\nreplace ")) || bytes.Contains(goMod, []byte("\nreplace(")) {
		t.Fatal("go.mod has a replace directive: go install module@version refuses such modules")
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{mv.Version, time.Now().UTC().Truncate(time.Second)})
	if err != nil {
		t.Fatal(err)
	}

	files := moduleFiles(t, dir)
	checked, err := modzip.CheckFiles(files)
	for _, o := range checked.Omitted {
		t.Logf("module zip omits %s: %v", o.Path, o.Err)
	}
	if err != nil {
		// The real proxy would refuse the module just the same.
		t.Fatalf("the checkout cannot be a module zip: %v", err)
	}
	var zipped bytes.Buffer
	if err := modzip.Create(&zipped, mv, files); err != nil {
		t.Fatal(err)
	}
	t.Logf("module zip: %d files, %d bytes", len(checked.Valid), zipped.Len())

	for name, data := range map[string][]byte{
		"list":               []byte(mv.Version + "\n"),
		mv.Version + ".info": info,
		mv.Version + ".mod":  goMod,
		mv.Version + ".zip":  zipped.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(vdir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// moduleFiles lists the files that a tagged release would carry: what git
// tracks plus new files it does not ignore (so uncommitted work is tested,
// and dist/, build output and other ignored files stay out). Without git it
// falls back to every file under dir, as zip.CreateFromDir would take them.
func moduleFiles(t *testing.T, dir string) []modzip.File {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Logf("git ls-files: %v; taking every file under %s", err, dir)
		var files []modzip.File
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			if d.IsDir() {
				if name := d.Name(); p != dir && (name == ".git" || name == "dist") {
					return filepath.SkipDir
				}
				return nil
			}
			files = append(files, dirFile{path: p, rel: filepath.ToSlash(rel)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	var files []modzip.File
	seen := map[string]bool{}
	for _, rel := range strings.Split(string(out), "\x00") {
		if rel == "" || seen[rel] {
			continue
		}
		seen[rel] = true
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			continue // deleted in the working tree
		}
		files = append(files, dirFile{path: p, rel: path.Clean(rel)})
	}
	return files
}

type dirFile struct{ path, rel string }

func (f dirFile) Path() string                 { return f.rel }
func (f dirFile) Lstat() (fs.FileInfo, error)  { return os.Lstat(f.path) }
func (f dirFile) Open() (io.ReadCloser, error) { return os.Open(f.path) }

func goEnv(t *testing.T, goBin, key string) string {
	t.Helper()
	out, err := exec.Command(goBin, "env", key).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", key, err)
	}
	return strings.TrimSpace(string(out))
}

func fileURL(dir string) string {
	p := filepath.ToSlash(dir)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x on Windows
	}
	return "file://" + p
}

// removeFromModCache drops the test version from the module cache (its
// extracted, read-only tree and its download files), leaving everything else.
func removeFromModCache(t *testing.T, modCache string, mv module.Version) {
	escaped, err := module.EscapePath(mv.Path)
	if err != nil {
		return
	}
	escVer, err := module.EscapeVersion(mv.Version)
	if err != nil {
		return
	}
	if modCache == "" {
		return
	}
	extracted := filepath.Join(modCache, filepath.FromSlash(escaped)+"@"+escVer)
	filepath.WalkDir(extracted, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	if err := os.RemoveAll(extracted); err != nil {
		t.Logf("clean module cache: %v", err)
	}
	downloads, _ := filepath.Glob(filepath.Join(modCache, "cache", "download", filepath.FromSlash(escaped), "@v", escVer+".*"))
	for _, f := range downloads {
		os.Remove(f)
	}
	// The cached version list names only test versions unless a real one was
	// ever downloaded; then leave it be.
	list := filepath.Join(modCache, "cache", "download", filepath.FromSlash(escaped), "@v", "list")
	if b, err := os.ReadFile(list); err == nil {
		for _, v := range strings.Fields(string(b)) {
			if !strings.Contains(v, "-installtest.") {
				return
			}
		}
		os.Remove(list)
	}
}
