package account

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/news"
)

// These tests run the Google Reader client against loopback servers that
// answer as FreshRSS, Inoreader and The Old Reader document their APIs
// (their API pages: FreshRSS's "Google Reader compatible API", Inoreader's
// developer docs on ClientLogin and app authentication, The Old Reader's
// github.com/theoldreader/api). Those servers cannot run here; Miniflux's
// own Google Reader API is tested live in cli.

// dialect is what one server does differently.
type dialect struct {
	name string
	// base is the path under which /accounts/ClientLogin and /reader/api/0 live.
	base string
	// shortID renders an item id as stream/items/ids does; longID as
	// stream/items/contents does.
	shortID, longID func(n int) string
	// editToken is the T token; "" means the Auth token (Miniflux, The Old Reader).
	editToken string
	// appID, appKey are required headers on every request (Inoreader).
	appID, appKey string
	// loginParams must be in the ClientLogin form (The Old Reader).
	loginParams []string
	// numericContinuation sends continuation as a JSON number.
	numericContinuation bool
	feedStream          func(n int) string
}

var (
	freshRSS = dialect{
		name: "FreshRSS", base: "/api/greader.php",
		shortID:   func(n int) string { return fmt.Sprint(1700000000000000 + n) },
		longID:    func(n int) string { return fmt.Sprintf("tag:google.com,2005:reader/item/%016x", 1700000000000000+n) },
		editToken: "FreshRSSEditTokenOf57CharactersXXXXXXXXXXXXXXXXXXXXXXXXX",
		feedStream: func(n int) string {
			return fmt.Sprintf("feed/%d", n)
		},
	}
	inoreader = dialect{
		name: "Inoreader", base: "",
		shortID: func(n int) string { return fmt.Sprint(int64(-9000000000000000000) + int64(n)) }, // top bit set: negative
		longID: func(n int) string {
			return fmt.Sprintf("tag:google.com,2005:reader/item/%016x", uint64(int64(-9000000000000000000)+int64(n)))
		},
		editToken: "inoreader-edit-token",
		appID:     "1000001414", appKey: "kk18irxGeoXA5wyFg9U1PpTuabDu2WWG",
		numericContinuation: true,
		feedStream:          func(n int) string { return fmt.Sprintf("feed/https://feeds.example/%d.xml", n) },
	}
	theOldReader = dialect{
		name: "The Old Reader", base: "",
		shortID:     func(n int) string { return fmt.Sprintf("5d0cfa30041c6f2d2b%06x", n) },
		longID:      func(n int) string { return fmt.Sprintf("tag:google.com,2005:reader/item/5d0cfa30041c6f2d2b%06x", n) },
		loginParams: []string{"client", "accountType", "service"},
		feedStream:  func(n int) string { return fmt.Sprintf("feed/00157a17b192950b65be37%02x", n) },
	}
)

// fakeReader is a Google Reader server of one dialect holding items
// 0..n-1 in one feed, some unread and some starred.
type fakeReader struct {
	t       *testing.T
	d       dialect
	srv     *httptest.Server
	mu      sync.Mutex
	items   int
	unread  map[int]bool
	starred map[int]bool
	calls   []string
	auth    string
}

func newFakeReader(t *testing.T, d dialect, items int) *fakeReader {
	f := &fakeReader{t: t, d: d, items: items, unread: map[int]bool{}, starred: map[int]bool{}, auth: "AuthToken-" + strings.ReplaceAll(d.name, " ", "")}
	for i := range items {
		f.unread[i] = i%2 == 0
		f.starred[i] = i%5 == 0
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeReader) client(t *testing.T, password string) *greader {
	a := config.Account{Name: "home", Type: config.AccountGReader, URL: f.srv.URL + f.d.base, Username: "me", PasswordEnv: "PW",
		AppID: f.d.appID, AppKey: f.d.appKey}
	c, err := New(a, Options{UserAgent: "byline/test", Timeout: 5 * time.Second, Getenv: func(string) string { return password }})
	if err != nil {
		t.Fatal(err)
	}
	g := c.(*greader)
	g.http.wait = func(context.Context, time.Duration) error { return nil }
	return g
}

func (f *fakeReader) itemNumber(id string) (int, bool) {
	for i := range f.items {
		if id == f.d.shortID(i) || id == f.d.longID(i) {
			return i, true
		}
	}
	return 0, false
}

func (f *fakeReader) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	path, ok := strings.CutPrefix(r.URL.Path, f.d.base)
	if !ok {
		http.NotFound(w, r)
		return
	}
	f.calls = append(f.calls, r.Method+" "+path)
	if f.d.appID != "" && (r.Header.Get("AppId") != f.d.appID || r.Header.Get("AppKey") != f.d.appKey) {
		http.Error(w, "app credentials", http.StatusForbidden)
		return
	}
	r.ParseForm()
	if path == "/accounts/ClientLogin" {
		for _, p := range f.d.loginParams {
			if r.PostForm.Get(p) == "" {
				http.Error(w, "missing "+p, http.StatusBadRequest)
				return
			}
		}
		if r.PostForm.Get("Email") != "me" || r.PostForm.Get("Passwd") != "right-password" {
			http.Error(w, "Error=BadAuthentication", http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, "SID=none\nLSID=none\nAuth=%s\n", f.auth)
		return
	}
	if r.Header.Get("Authorization") != "GoogleLogin auth="+f.auth {
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	if r.Method == "POST" {
		want := f.d.editToken
		if want == "" {
			want = f.auth
		}
		if r.PostForm.Get("T") != want {
			http.Error(w, "bad T", http.StatusUnauthorized)
			return
		}
	}
	q := r.URL.Query()
	switch path {
	case "/reader/api/0/token":
		if f.d.editToken != "" {
			io.WriteString(w, f.d.editToken+"\n")
		} else {
			io.WriteString(w, f.auth)
		}
	case "/reader/api/0/subscription/list":
		json.NewEncoder(w).Encode(map[string]any{"subscriptions": []map[string]any{{
			"id": f.d.feedStream(1), "title": "News &amp; views", "url": "https://feeds.example/1.xml", "htmlUrl": "https://feeds.example/",
			"categories": []map[string]string{{"id": "user/-/label/World", "label": "World"}},
		}}})
	case "/reader/api/0/stream/items/ids":
		var ids []int
		for i := range f.items {
			switch {
			case q.Get("s") == streamStarred && f.starred[i],
				q.Get("s") == streamAll && q.Get("xt") == streamRead && f.unread[i],
				q.Get("s") == streamAll && q.Get("xt") == "":
				ids = append(ids, i)
			}
		}
		// Three ids a page whatever n says, to make the client follow continuations.
		start := 0
		if c := q.Get("c"); c != "" {
			fmt.Sscan(c, &start)
		}
		end := min(start+3, len(ids))
		refs := []map[string]string{}
		for _, i := range ids[start:end] {
			refs = append(refs, map[string]string{"id": f.d.shortID(i)})
		}
		resp := map[string]any{"itemRefs": refs}
		if end < len(ids) {
			if f.d.numericContinuation {
				resp["continuation"] = end
			} else {
				resp["continuation"] = fmt.Sprint(end)
			}
		}
		json.NewEncoder(w).Encode(resp)
	case "/reader/api/0/stream/items/contents":
		var items []map[string]any
		for _, id := range r.PostForm["i"] {
			i, ok := f.itemNumber(id)
			if !ok {
				f.t.Errorf("%s: contents of an unknown id %q", f.d.name, id)
				continue
			}
			cats := []string{"user/-/state/com.google/reading-list"}
			if !f.unread[i] {
				cats = append(cats, "user/-/state/com.google/read")
			}
			items = append(items, map[string]any{
				"id": f.d.longID(i), "title": fmt.Sprintf("Item %d &lt;b&gt;", i), "published": 1700000000 + i, "author": "A. Writer",
				"categories": cats, "canonical": []map[string]string{{"href": fmt.Sprintf("https://news.example/%d", i)}},
				"summary": map[string]string{"content": fmt.Sprintf("<p>Body %d</p>\x1b[31m", i)},
				"origin":  map[string]string{"streamId": f.d.feedStream(1)},
			})
		}
		json.NewEncoder(w).Encode(map[string]any{"items": items})
	case "/reader/api/0/edit-tag":
		for _, id := range r.PostForm["i"] {
			i, ok := f.itemNumber(id)
			if !ok {
				f.t.Errorf("%s: edit-tag of an unknown id %q", f.d.name, id)
				continue
			}
			switch {
			case r.PostForm.Get("a") == streamRead:
				f.unread[i] = false
			case r.PostForm.Get("r") == streamRead:
				f.unread[i] = true
			case r.PostForm.Get("a") == streamStarred:
				f.starred[i] = true
			case r.PostForm.Get("r") == streamStarred:
				f.starred[i] = false
			}
		}
		io.WriteString(w, "OK")
	default:
		http.NotFound(w, r)
	}
}

func TestGReaderDialects(t *testing.T) {
	for _, d := range []dialect{freshRSS, inoreader, theOldReader} {
		t.Run(d.name, func(t *testing.T) {
			f := newFakeReader(t, d, 10)
			g := f.client(t, "right-password")
			ctx := context.Background()

			feeds, err := g.Feeds(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(feeds) != 1 || feeds[0].ID != d.feedStream(1) || feeds[0].Title != "News & views" || !slices.Equal(feeds[0].Tags, []string{"World"}) {
				t.Fatalf("feeds: %+v", feeds)
			}

			var batches []Batch
			known := map[string]bool{}
			if err := g.Pull(ctx, nil, known, func(b Batch) error { batches = append(batches, b); return nil }); err != nil {
				t.Fatal(err)
			}
			var items []news.RemoteItem
			for _, b := range batches {
				items = append(items, b.Items...)
			}
			last := batches[len(batches)-1]
			if len(items) != 10 || last.State == nil || len(last.State.Unread) != 5 || len(last.State.Starred) != 2 || last.Cursor == nil {
				t.Fatalf("first pull: %d items, last batch %+v", len(items), last)
			}
			for _, it := range items {
				i, _ := f.itemNumber(longItemID(it.GUID))
				if it.Read == f.unread[i] || it.Starred != f.starred[i] || it.FeedID != d.feedStream(1) {
					t.Errorf("item %d: %+v", i, it)
				}
				if it.Title != fmt.Sprintf("Item %d <b>", i) || strings.ContainsRune(it.Summary, 0x1b) || it.URL != fmt.Sprintf("https://news.example/%d", i) {
					t.Errorf("item %d is not cleaned: %q %q %q", i, it.Title, it.Summary, it.URL)
				}
				// The ids endpoint's short form and the contents' long form
				// are one id here.
				if short, _ := canonicalItemID(d.shortID(i)); short != it.GUID {
					t.Errorf("item %d: short id %s is %s, long id is %s", i, d.shortID(i), short, it.GUID)
				}
			}

			// A second pull with everything known fetches no contents.
			f.calls = nil
			batches = nil
			if err := g.Pull(ctx, last.Cursor, known, func(b Batch) error { batches = append(batches, b); return nil }); err != nil {
				t.Fatal(err)
			}
			if slices.Contains(f.calls, "POST /reader/api/0/stream/items/contents") || len(batches) != 1 {
				t.Errorf("an idle pull: %v, %d batches", f.calls, len(batches))
			}

			// Marks go out in the long form, set absolutely.
			marks := []news.Mark{
				{Seq: 1, RemoteID: items[0].GUID, Flag: news.FlagRead, On: true},
				{Seq: 2, RemoteID: items[1].GUID, Flag: news.FlagRead, On: false},
				{Seq: 3, RemoteID: items[2].GUID, Flag: news.FlagStarred, On: true},
			}
			var acked []int64
			for range 2 { // twice: a repeated push changes nothing
				acked = nil
				if err := g.Push(ctx, marks, func(ms []news.Mark) error {
					for _, m := range ms {
						acked = append(acked, m.Seq)
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			n0, _ := f.itemNumber(longItemID(items[0].GUID))
			n1, _ := f.itemNumber(longItemID(items[1].GUID))
			n2, _ := f.itemNumber(longItemID(items[2].GUID))
			if f.unread[n0] || !f.unread[n1] || !f.starred[n2] || len(acked) != 3 {
				t.Errorf("after the push: unread %v %v, starred %v, acked %v", f.unread[n0], f.unread[n1], f.starred[n2], acked)
			}
		})
	}
}

func TestGReaderWrongPasswordIsSaidOnce(t *testing.T) {
	f := newFakeReader(t, freshRSS, 3)
	g := f.client(t, "wrong-password-123")
	ctx := context.Background()
	_, err := g.Feeds(ctx)
	if err == nil || !strings.Contains(err.Error(), "check username/password for account home") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "wrong-password-123") {
		t.Errorf("the password is in the error: %v", err)
	}
	calls := len(f.calls)
	if err := g.Pull(ctx, nil, map[string]bool{}, func(Batch) error { return nil }); err == nil {
		t.Fatal("a pull after a refused login succeeded")
	}
	if len(f.calls) != calls {
		t.Errorf("the client tried the refused login again: %v", f.calls[calls:])
	}
}

func TestInoreaderWithoutAppCredentialsIsRefused(t *testing.T) {
	f := newFakeReader(t, inoreader, 3)
	a := config.Account{Name: "ino", Type: config.AccountGReader, URL: f.srv.URL, Username: "me", PasswordEnv: "PW"}
	c, err := New(a, Options{Getenv: func(string) string { return "right-password" }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Feeds(context.Background())
	if err == nil || !strings.Contains(err.Error(), "check username/password for account ino") {
		t.Fatalf("without AppId/AppKey: %v", err)
	}
}

func TestCanonicalItemID(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// The Google Reader wiki's table of long and short forms.
		{"tag:google.com,2005:reader/item/5d0cfa30041d4348", "5d0cfa30041d4348"},
		{"6705009029382226760", "5d0cfa30041d4348"},
		{"tag:google.com,2005:reader/item/024025978b5e50d2", "024025978b5e50d2"},
		{"162170919393841362", "024025978b5e50d2"},
		{"tag:google.com,2005:reader/item/fb115bd6d34a8e9f", "fb115bd6d34a8e9f"},
		{"-355401917359550817", "fb115bd6d34a8e9f"},
		// Miniflux: short prefixed hex and decimal entry ids.
		{"tag:google.com,2005:reader/item/2f2", "00000000000002f2"},
		{"754", "00000000000002f2"},
		// The Old Reader's ObjectIds.
		{"5d0cfa30041c6f2d2b000001", "5d0cfa30041c6f2d2b000001"},
		{"tag:google.com,2005:reader/item/5D0CFA30041C6F2D2B000001", "5d0cfa30041c6f2d2b000001"},
	} {
		if got, ok := canonicalItemID(c.in); !ok || got != c.want {
			t.Errorf("canonicalItemID(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
	for _, bad := range []string{"", "tag:google.com,2005:reader/item/", "xyz", "12 34"} {
		if got, ok := canonicalItemID(bad); ok {
			t.Errorf("canonicalItemID(%q) = %q, want not ok", bad, got)
		}
	}
}

func TestRetryAfterAndBackoff(t *testing.T) {
	var mu sync.Mutex
	answers := []int{http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusOK}
	var waits []time.Duration
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		code := answers[0]
		answers = answers[1:]
		mu.Unlock()
		if code == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "7")
		}
		w.WriteHeader(code)
		if code == http.StatusOK {
			io.WriteString(w, "[]")
		}
	}))
	defer srv.Close()
	a := config.Account{Name: "home", Type: config.AccountMiniflux, URL: srv.URL, TokenEnv: "T"}
	c, _ := New(a, Options{Getenv: func(string) string { return "token-abcdef" }})
	m := c.(*miniflux)
	m.http.wait = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	if _, err := m.Feeds(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(waits, []time.Duration{7 * time.Second, 2 * firstBackoff}) {
		t.Errorf("waits %v: want the server's 7s, then the backoff", waits)
	}

	// A wait longer than maxRetryWait is not waited out.
	long := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, `{"error_message":"slow down"}`, http.StatusTooManyRequests)
	}))
	defer long.Close()
	a.URL = long.URL
	c, _ = New(a, Options{Getenv: func(string) string { return "token-abcdef" }})
	start := time.Now()
	_, err := c.Feeds(context.Background())
	if err == nil || !strings.Contains(err.Error(), "429") || !strings.Contains(err.Error(), "slow down") || time.Since(start) > 5*time.Second {
		t.Errorf("a server asking for an hour: %v after %v", err, time.Since(start))
	}
}

func TestSecretsAreCutFromErrors(t *testing.T) {
	const token = "tok-5e3r3t-value"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A server that echoes what it got into its error.
		http.Error(w, `{"error_message":"bad token `+r.Header.Get("X-Auth-Token")+`"}`, http.StatusBadRequest)
	}))
	defer srv.Close()
	c, _ := New(config.Account{Name: "home", Type: config.AccountMiniflux, URL: srv.URL, TokenEnv: "T"},
		Options{Getenv: func(string) string { return token }})
	_, err := c.Feeds(context.Background())
	if err == nil || strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "[secret]") {
		t.Errorf("err = %v", err)
	}
}

func TestPasswordCommand(t *testing.T) {
	ctx := context.Background()
	// No shell: a ; is an argument, not a second command.
	got, err := runPasswordCommand(ctx, `printf '%s\n' "pass word" "; echo pwned"`)
	if err != nil || got != "pass word" {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := runPasswordCommand(ctx, `sh -c 'echo oops >&2; exit 3'`); err == nil || !strings.Contains(err.Error(), "oops") {
		t.Errorf("a failing command: %v", err)
	}
	if _, err := runPasswordCommand(ctx, `printf '%s'`); err == nil {
		t.Error("a command that prints nothing gave a password")
	}
	if _, err := runPasswordCommand(ctx, `echo "unterminated`); err == nil {
		t.Error("an unterminated quote was run")
	}
	words, _ := splitWords(`pass show 'my rss' "a\"b" c\ d`)
	if !slices.Equal(words, []string{"pass", "show", "my rss", `a"b`, "c d"}) {
		t.Errorf("splitWords: %q", words)
	}
}

func TestMinifluxPullPagesAndState(t *testing.T) {
	const total = minifluxEntriesPage + 20
	var mu sync.Mutex
	var requests []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, r.URL.Path+"?"+r.URL.RawQuery)
		mu.Unlock()
		if r.Header.Get("X-Auth-Token") != "token-1234" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		q := r.URL.Query()
		switch r.URL.Path {
		case "/v1/entries":
			after := 0
			fmt.Sscan(q.Get("after_entry_id"), &after)
			if !slices.Equal(q["status"], []string{"unread", "read"}) || q.Get("order") != "id" || q.Get("direction") != "asc" {
				t.Errorf("entries query %v", q)
			}
			var entries []map[string]any
			for id := after + 1; id <= total && len(entries) < minifluxEntriesPage; id++ {
				entries = append(entries, map[string]any{"id": id, "feed_id": 7, "status": map[bool]string{true: "read", false: "unread"}[id%3 == 0],
					"title": fmt.Sprint("Entry ", id), "url": fmt.Sprint("https://x.example/", id), "content": "<p>text</p>", "starred": id == 5,
					"published_at": "2026-01-02T03:04:05Z"})
			}
			json.NewEncoder(w).Encode(map[string]any{"total": total, "entries": entries})
		case "/v1/entries/ids":
			var ids []int
			for id := 1; id <= total; id++ {
				if (q.Get("status") == "unread" && id%3 != 0) || (q.Get("starred") == "true" && id == 5) {
					ids = append(ids, id)
				}
			}
			json.NewEncoder(w).Encode(map[string]any{"total": len(ids), "entry_ids": ids})
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, _ := New(config.Account{Name: "home", Type: config.AccountMiniflux, URL: srv.URL, TokenEnv: "T"},
		Options{Getenv: func(string) string { return "token-1234" }})
	var batches []Batch
	known := map[string]bool{}
	if err := c.Pull(context.Background(), nil, known, func(b Batch) error { batches = append(batches, b); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(batches) != 3 || len(batches[0].Items) != minifluxEntriesPage || len(batches[1].Items) != 20 || batches[2].State == nil {
		t.Fatalf("%d batches", len(batches))
	}
	var cur minifluxCursor
	json.Unmarshal(batches[1].Cursor, &cur)
	if cur.LastID != total {
		t.Errorf("cursor after the pages: %+v", cur)
	}
	st := batches[2].State
	if len(st.Unread) != total-total/3 || !st.Starred["5"] || len(st.Starred) != 1 {
		t.Errorf("state: %d unread, starred %v", len(st.Unread), st.Starred)
	}
	// The next pull starts after the newest entry.
	requests = nil
	if err := c.Pull(context.Background(), batches[2].Cursor, known, func(Batch) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if len(requests) != 3 || !strings.Contains(requests[0], "after_entry_id="+fmt.Sprint(total)) {
		t.Errorf("an idle pull asked %v", requests)
	}
}
