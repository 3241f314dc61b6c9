package cli_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The sync tests run against a real Miniflux, the pinned version built
// from the Go module proxy (cached under the user cache dir after the first
// build), on a throw-away PostgreSQL. One server serves the package's
// tests; each test gets a Miniflux user of its own. Without PostgreSQL
// they skip, except on CI (CI=true), where they fail.

const minifluxModule = "miniflux.app/v2@v2.3.5"

// live is the package's Miniflux, started by the first test that asks.
var live struct {
	once sync.Once
	srv  *miniflux
	err  error
}

// errNoPostgres means this machine has no PostgreSQL to run Miniflux on.
var errNoPostgres = errors.New("no PostgreSQL (initdb, pg_ctl) on this machine")

// startLive starts the package's Miniflux once; later calls wait for it.
func startLive() { live.once.Do(func() { live.srv, live.err = startMiniflux() }) }

// startLiveEarly starts the package's Miniflux in the background when the
// whole package runs (no -run), so that its PostgreSQL and migrations,
// several seconds, overlap the tests that run before the live ones.
func startLiveEarly() {
	flag.Parse()
	set := func(name string) bool { f := flag.Lookup(name); return f != nil && f.Value.String() != "" }
	if !set("test.run") && !set("test.list") {
		go startLive()
	}
}

// liveMiniflux returns the package's Miniflux, starting it if need be.
func liveMiniflux(t testing.TB) *miniflux {
	t.Helper()
	startLive()
	if live.err != nil {
		if errors.Is(live.err, errNoPostgres) && os.Getenv("CI") != "true" {
			t.Skipf("live sync tests: %v", live.err)
		}
		t.Fatalf("live Miniflux: %v", live.err)
	}
	if err := live.srv.ensureRunning(); err != nil {
		t.Fatalf("live Miniflux: %v", err)
	}
	return live.srv
}

// stopLiveMiniflux ends the package's Miniflux and PostgreSQL, if started.
func stopLiveMiniflux() {
	live.once.Do(func() {}) // waits for a start in flight
	if live.srv != nil {
		live.srv.close()
	}
}

// miniflux is a running Miniflux. The package's first one owns the
// PostgreSQL; others (see own) share its database, and with it the users.
type miniflux struct {
	db            *minifluxDB
	port          int
	URL           string
	adminPassword string

	mu  sync.Mutex
	cmd *exec.Cmd
}

// minifluxDB is the throw-away PostgreSQL that the package's Minifluxes
// keep their data in.
type minifluxDB struct {
	bin, pgBin, dir string
	pgPort          int
	users           atomic.Int64
}

// minifluxBinary builds the pinned Miniflux once per machine.
func minifluxBinary() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "byline-test", strings.ReplaceAll(minifluxModule, "/", "_"))
	bin := filepath.Join(dir, "miniflux")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	gobin, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(gobin)
	build := exec.Command("go", "install", minifluxModule)
	build.Dir = gobin // outside byline's module
	build.Env = append(os.Environ(), "GOBIN="+gobin, "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s: %v\n%s", minifluxModule, err, out)
	}
	// The install names the binary after the module path's last element.
	entries, err := os.ReadDir(gobin)
	if err != nil || len(entries) != 1 {
		return "", fmt.Errorf("go install %s left %d files", minifluxModule, len(entries))
	}
	// A rename is atomic: a parallel build can only replace a whole binary.
	if err := os.Rename(filepath.Join(gobin, entries[0].Name()), bin); err != nil {
		return "", err
	}
	return bin, nil
}

// postgresBin finds the directory of initdb and pg_ctl.
func postgresBin() (string, error) {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	for _, m := range matches {
		if strings.Contains(m, "/15/") {
			return filepath.Dir(m), nil
		}
	}
	if len(matches) > 0 {
		return filepath.Dir(matches[len(matches)-1]), nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errNoPostgres
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// asPostgres runs a PostgreSQL tool; initdb refuses to run as root, so
// root runs it as the postgres user.
func asPostgres(bin string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", bin}, args...)...)
	}
	return exec.Command(bin, args...)
}

func startMiniflux() (*miniflux, error) {
	pgBin, err := postgresBin()
	if err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			return nil, fmt.Errorf("%w: running as root without a postgres user", errNoPostgres)
		}
	}
	bin, err := minifluxBinary()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "byline-miniflux-")
	if err != nil {
		return nil, err
	}
	db := &minifluxDB{bin: bin, pgBin: pgBin, dir: dir}
	if os.Geteuid() == 0 {
		pg, _ := user.Lookup("postgres")
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	if out, err := asPostgres(filepath.Join(pgBin, "initdb"), "-D", filepath.Join(dir, "data"), "-U", "postgres",
		"--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	if db.pgPort, err = freePort(); err != nil {
		return nil, err
	}
	// Durability is not wanted of a database that lives for one test run.
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", db.pgPort, dir)
	if out, err := asPostgres(filepath.Join(pgBin, "pg_ctl"), "-D", filepath.Join(dir, "data"), "-o", opts,
		"-l", filepath.Join(dir, "postgres.log"), "-w", "start").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %v\n%s", err, out)
	}
	m, err := db.newMiniflux()
	if err != nil {
		db.close()
		return nil, err
	}
	// Passwords are hashed at bcrypt's lowest cost: Miniflux checks the
	// hash on every request with basic auth, which at its cost of 10 was
	// most of the tests' time.
	if err := db.sql("CREATE EXTENSION IF NOT EXISTS pgcrypto; " + fastPasswordSQL("admin", m.adminPassword)); err != nil {
		m.stop()
		db.close()
		return nil, err
	}
	return m, nil
}

// newMiniflux starts a Miniflux on the database, on a port of its own.
func (db *minifluxDB) newMiniflux() (*miniflux, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	m := &miniflux{db: db, port: port, URL: fmt.Sprintf("http://127.0.0.1:%d", port), adminPassword: "admin-password-1"}
	if err := m.start(); err != nil {
		return nil, err
	}
	return m, nil
}

// own starts a Miniflux for t alone, on the package's database, for a test
// that stops and starts its server while others use theirs. Starting one
// on a database that is set up already takes about half a second.
func (m *miniflux) own(t testing.TB) *miniflux {
	t.Helper()
	o, err := m.db.newMiniflux()
	if err != nil {
		t.Fatalf("a Miniflux of the test's own: %v", err)
	}
	t.Cleanup(o.stop)
	return o
}

// start runs Miniflux and waits until it answers.
func (m *miniflux) start() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	cmd := exec.Command(m.db.bin)
	log, err := os.OpenFile(filepath.Join(m.db.dir, "miniflux.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		fmt.Sprintf("DATABASE_URL=postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", m.db.pgPort),
		"RUN_MIGRATIONS=1", "CREATE_ADMIN=1", "ADMIN_USERNAME=admin", "ADMIN_PASSWORD=" + m.adminPassword,
		fmt.Sprintf("LISTEN_ADDR=127.0.0.1:%d", m.port), "BASE_URL=" + m.URL,
		// The tests' feeds are on 127.0.0.1.
		"FETCHER_ALLOW_PRIVATE_NETWORKS=1",
		// Feeds are refreshed when a test asks, not by the scheduler.
		"POLLING_FREQUENCY=1440", "SCHEDULER_ENTRY_FREQUENCY_MIN_INTERVAL=1440",
		"WORKER_POOL_SIZE=2", "LOG_LEVEL=warning", "CLEANUP_FREQUENCY_HOURS=1000",
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	m.cmd = cmd
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(m.URL + "/healthcheck")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, _ := os.ReadFile(filepath.Join(m.db.dir, "miniflux.log"))
	return fmt.Errorf("miniflux did not answer on %s within a minute:\n%s", m.URL, b)
}

// stop ends Miniflux as an outage would; PostgreSQL keeps its data.
func (m *miniflux) stop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cmd != nil {
		m.cmd.Process.Signal(syscall.SIGKILL)
		m.cmd.Wait()
		m.cmd = nil
	}
}

// ensureRunning restarts Miniflux if a test stopped it and failed before
// starting it again.
func (m *miniflux) ensureRunning() error {
	m.mu.Lock()
	running := m.cmd != nil
	m.mu.Unlock()
	if running {
		return nil
	}
	return m.start()
}

func (m *miniflux) close() {
	m.stop()
	m.db.close()
}

func (db *minifluxDB) close() {
	asPostgres(filepath.Join(db.pgBin, "pg_ctl"), "-D", filepath.Join(db.dir, "data"), "-m", "immediate", "stop").Run()
	os.RemoveAll(db.dir)
}

// sql runs statements in Miniflux's database.
func (db *minifluxDB) sql(statements string) error {
	psql := filepath.Join(db.pgBin, "psql")
	out, err := exec.Command(psql, "-h", "127.0.0.1", "-p", strconv.Itoa(db.pgPort), "-U", "postgres", "-d", "postgres",
		"-v", "ON_ERROR_STOP=1", "-q", "-c", statements).CombinedOutput()
	if err != nil {
		return fmt.Errorf("psql: %v\n%s", err, out)
	}
	return nil
}

// mfUser is a Miniflux user of one test, with an API key and the Google
// Reader API enabled under its own login.
type mfUser struct {
	m               *miniflux
	t               testing.TB
	ID              int64
	Name, Password  string
	Token           string // API key
	GReaderName     string
	GReaderPassword string
}

// newUser creates a Miniflux user for t.
func (m *miniflux) newUser(t testing.TB) *mfUser {
	t.Helper()
	n := m.db.users.Add(1)
	u := &mfUser{m: m, t: t, Name: fmt.Sprintf("user%d", n), Password: fmt.Sprintf("pw-%d-Zq8xV", n)}
	var created struct {
		ID int64 `json:"id"`
	}
	admin := &mfUser{m: m, t: t, Name: "admin", Password: m.adminPassword}
	admin.api("POST", "/v1/users", map[string]any{"username": u.Name, "password": u.Password}, &created)
	u.ID = created.ID
	u.GReaderName, u.GReaderPassword = u.Name+"-gr", fmt.Sprintf("gr-%d-Wk3pT", n)
	// One psql for both: each is a process start.
	if err := m.db.sql(fastPasswordSQL(u.Name, u.Password) + fmt.Sprintf(`; UPDATE integrations SET googlereader_enabled = true,
		googlereader_username = '%s', googlereader_password = crypt('%s', gen_salt('bf', 4)) WHERE user_id = %d`,
		u.GReaderName, u.GReaderPassword, u.ID)); err != nil {
		t.Fatal(err)
	}
	var key struct {
		Token string `json:"token"`
	}
	u.api("POST", "/v1/api-keys", map[string]any{"description": "byline tests"}, &key)
	u.Token = key.Token
	return u
}

// fastPasswordSQL sets a user's password hash to the lowest bcrypt cost.
func fastPasswordSQL(user, password string) string {
	return fmt.Sprintf("UPDATE users SET password = crypt('%s', gen_salt('bf', 4)) WHERE username = '%s'", password, user)
}

// api calls Miniflux's REST API as the user.
func (u *mfUser) api(method, path string, body, out any) {
	u.t.Helper()
	if err := u.tryAPI(method, path, body, out); err != nil {
		u.t.Fatal(err)
	}
}

func (u *mfUser) tryAPI(method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u.m.URL+path, r)
	req.SetBasicAuth(u.Name, u.Password)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return nil
}

// category returns the id of a category of the user's, creating it.
func (u *mfUser) category(title string) int64 {
	u.t.Helper()
	var cats []struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	}
	u.api("GET", "/v1/categories", nil, &cats)
	for _, c := range cats {
		if c.Title == title {
			return c.ID
		}
	}
	var c struct {
		ID int64 `json:"id"`
	}
	u.api("POST", "/v1/categories", map[string]any{"title": title}, &c)
	return c.ID
}

// subscribe subscribes the user to feedURL in category and returns the
// feed's id; Miniflux fetches it at once.
func (u *mfUser) subscribe(feedURL, category string) int64 {
	u.t.Helper()
	var created struct {
		FeedID int64 `json:"feed_id"`
	}
	u.api("POST", "/v1/feeds", map[string]any{"feed_url": feedURL, "category_id": u.category(category)}, &created)
	return created.FeedID
}

// refreshFeed makes Miniflux fetch a feed now.
func (u *mfUser) refreshFeed(id int64) {
	u.t.Helper()
	u.api("PUT", fmt.Sprintf("/v1/feeds/%d/refresh", id), nil, nil)
}

type mfEntry struct {
	ID      int64  `json:"id"`
	Title   string `json:"title"`
	URL     string `json:"url"`
	Status  string `json:"status"`
	Starred bool   `json:"starred"`
}

// entries lists all the user's entries, keyed by URL.
func (u *mfUser) entries() map[string]mfEntry {
	u.t.Helper()
	out := map[string]mfEntry{}
	for offset := 0; ; offset += 500 {
		var page struct {
			Entries []mfEntry `json:"entries"`
		}
		u.api("GET", fmt.Sprintf("/v1/entries?limit=500&offset=%d&order=id", offset), nil, &page)
		for _, e := range page.Entries {
			out[e.URL] = e
		}
		if len(page.Entries) < 500 {
			return out
		}
	}
}

func (u *mfUser) setStatus(ids []int64, status string) {
	u.t.Helper()
	u.api("PUT", "/v1/entries", map[string]any{"entry_ids": ids, "status": status}, nil)
}

func (u *mfUser) setStarred(ids []int64, starred bool) {
	u.t.Helper()
	u.api("PUT", "/v1/entries", map[string]any{"entry_ids": ids, "starred": starred}, nil)
}

// accountTOML is an [[account]] table for the user: "miniflux" logs in
// with the API key, "miniflux-password" with the password, "greader" with
// the Google Reader login. Secrets come from the environment.
func (u *mfUser) accountTOML(name, kind string) (toml string, env []string) {
	switch kind {
	case "miniflux":
		return fmt.Sprintf("[[account]]\nname = %q\ntype = \"miniflux\"\nurl = %q\ntoken-env = \"MF_TOKEN\"\n", name, u.m.URL),
			[]string{"MF_TOKEN=" + u.Token}
	case "miniflux-password":
		return fmt.Sprintf("[[account]]\nname = %q\ntype = \"miniflux\"\nurl = %q\nusername = %q\npassword-env = \"MF_PASSWORD\"\n", name, u.m.URL, u.Name),
			[]string{"MF_PASSWORD=" + u.Password}
	case "greader":
		return fmt.Sprintf("[[account]]\nname = %q\ntype = \"greader\"\nurl = %q\nusername = %q\npassword-env = \"GR_PASSWORD\"\n", name, u.m.URL, u.GReaderName),
			[]string{"GR_PASSWORD=" + u.GReaderPassword}
	}
	panic("unknown account kind " + kind)
}

// syncHome is a byline home with the user's account configured (and the
// given urls file), its secret in the environment.
func (u *mfUser) syncHome(t *testing.T, kind, urls string) *home {
	t.Helper()
	h := newHome(t, urls)
	conf, env := u.accountTOML("home", kind)
	h.write("config.toml", conf)
	h.env = env
	return h
}

// storyServer serves feeds of stories that tests can add to, and each
// story's page. Miniflux fetches the feeds; byline may fetch the pages.
type storyServer struct {
	*httptest.Server
	mu    sync.Mutex
	feeds map[string]int // feed name → stories
	words int
	// base dates story 0; story i is i minutes later. Recent, so that
	// retention (keep-days) keeps the read ones.
	base time.Time
}

func newStoryServer(t testing.TB) *storyServer {
	s := &storyServer{feeds: map[string]int{}, words: 40, base: time.Now().Add(-48 * time.Hour).Truncate(time.Minute)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// add gives feed n more stories and returns its URL.
func (s *storyServer) add(feed string, n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feeds[feed] += n
	return s.URL + "/feed/" + feed
}

func (s *storyServer) storyURL(feed string, i int) string {
	return fmt.Sprintf("%s/story/%s/%d", s.URL, feed, i)
}

func (s *storyServer) serve(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case len(parts) == 2 && parts[0] == "feed":
		n, ok := s.feeds[parts[1]]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s stories</title><link>%s/</link>`, html.EscapeString(parts[1]), s.URL)
		for i := n - 1; i >= 0; i-- {
			fmt.Fprintf(&b, `<item><title>%s story %d</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate><description>%s</description></item>`,
				html.EscapeString(parts[1]), i, s.storyURL(parts[1], i), s.storyURL(parts[1], i),
				s.base.Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z), strings.Repeat("words of the story ", s.words/4))
		}
		b.WriteString(`</channel></rss>`)
		io.WriteString(w, b.String())
	case len(parts) == 3 && parts[0] == "story":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>%[1]s story %[2]s</title></head><body><article><h1>%[1]s story %[2]s</h1>%[3]s</article></body></html>`,
			html.EscapeString(parts[1]), html.EscapeString(parts[2]),
			strings.Repeat("<p>The whole page of this story, with far more words than the feed carries about it.</p>", 12))
	default:
		http.NotFound(w, r)
	}
}
