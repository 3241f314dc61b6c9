package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bylinehq/byline/news"
)

// miniflux speaks Miniflux's REST API (/v1/), with an API key (token-env)
// or HTTP basic auth.
//
// A pull is four small requests when nothing changed: the feeds, the
// entries after the newest id seen (in pages, oldest first, so the cursor
// can advance page by page), and the ids of the unread and of the starred
// entries, which are the whole read and starred state. Ids rather than
// changed_after: that filter compares whole seconds of the server's clock
// with changes still being committed, so it either misses a change or
// keeps downloading the last second's entries again; the id sets cost a
// few bytes an entry and are always right.
type miniflux struct {
	http *httpAccount
}

// Sizes of the pages a pull asks for.
const (
	minifluxEntriesPage = 500
	minifluxIDsPage     = 10000 // the server's maximum
	// minifluxMissingLimit bounds the entries fetched one by one in a
	// sync: unread or starred on the server, gone from the cache here
	// (retention deleted them). The rest come with the next syncs.
	minifluxMissingLimit = 50
)

func (m *miniflux) Name() string   { return m.http.account.Name }
func (m *miniflux) Server() string { return "miniflux " + m.http.base.String() }

func (m *miniflux) auth(ctx context.Context) (func(*http.Request) error, error) {
	secret, err := m.http.password(ctx)
	if err != nil {
		return nil, err
	}
	a := m.http.account
	return func(r *http.Request) error {
		if a.TokenEnv != "" {
			r.Header.Set("X-Auth-Token", secret)
		} else {
			r.SetBasicAuth(a.Username, secret)
		}
		return nil
	}, nil
}

func (m *miniflux) call(ctx context.Context, req request, out any) error {
	auth, err := m.auth(ctx)
	if err != nil {
		return err
	}
	req.auth = auth
	return m.http.do(ctx, req, out)
}

type minifluxFeed struct {
	ID       int64  `json:"id"`
	FeedURL  string `json:"feed_url"`
	SiteURL  string `json:"site_url"`
	Title    string `json:"title"`
	Error    string `json:"parsing_error_message"`
	Category struct {
		Title string `json:"title"`
	} `json:"category"`
}

func (f minifluxFeed) remote() news.RemoteFeed {
	rf := news.RemoteFeed{
		ID: strconv.FormatInt(f.ID, 10), URL: cleanURL(f.FeedURL), SiteURL: cleanURL(f.SiteURL), Title: plainLine(f.Title),
		Error: plainLine(f.Error),
	}
	if tag := plainLine(f.Category.Title); tag != "" {
		rf.Tags = []string{tag}
	}
	return rf
}

func (m *miniflux) Feeds(ctx context.Context) ([]news.RemoteFeed, error) {
	var feeds []minifluxFeed
	if err := m.call(ctx, request{method: "GET", path: "/v1/feeds"}, &feeds); err != nil {
		return nil, err
	}
	out := make([]news.RemoteFeed, len(feeds))
	for i, f := range feeds {
		out[i] = f.remote()
	}
	return out, nil
}

// minifluxBatch bounds the entry ids of one PUT /v1/entries.
const minifluxBatch = 1000

func (m *miniflux) Push(ctx context.Context, marks []news.Mark, acked func([]news.Mark) error) error {
	for _, group := range groupMarks(marks) {
		for chunk := range slices.Chunk(group, minifluxBatch) {
			ids := make([]int64, 0, len(chunk))
			for _, mk := range chunk {
				id, err := strconv.ParseInt(mk.RemoteID, 10, 64)
				if err != nil {
					continue // not an id this server gave out; nothing to send
				}
				ids = append(ids, id)
			}
			body := map[string]any{"entry_ids": ids}
			switch first := chunk[0]; {
			case first.Flag == news.FlagRead && first.On:
				body["status"] = "read"
			case first.Flag == news.FlagRead:
				body["status"] = "unread"
			default:
				body["starred"] = first.On
			}
			if len(ids) > 0 {
				if err := m.call(ctx, request{method: "PUT", path: "/v1/entries", json: body}, nil); err != nil {
					return err
				}
			}
			if err := acked(chunk); err != nil {
				return err
			}
		}
	}
	return nil
}

// groupMarks splits marks into runs that one request can send: the same
// flag set to the same value.
func groupMarks(marks []news.Mark) [][]news.Mark {
	type key struct {
		flag news.Flag
		on   bool
	}
	var order []key
	groups := make(map[key][]news.Mark)
	for _, mk := range marks {
		k := key{mk.Flag, mk.On}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], mk)
	}
	out := make([][]news.Mark, len(order))
	for i, k := range order {
		out[i] = groups[k]
	}
	return out
}

type minifluxEntry struct {
	ID        int64     `json:"id"`
	FeedID    int64     `json:"feed_id"`
	Status    string    `json:"status"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`
	Published time.Time `json:"published_at"`
	Content   string    `json:"content"`
	Author    string    `json:"author"`
	Starred   bool      `json:"starred"`
}

func (e minifluxEntry) remote() news.RemoteItem {
	return news.RemoteItem{
		Item: news.Item{
			GUID: strconv.FormatInt(e.ID, 10), URL: cleanURL(e.URL), Title: plainLine(e.Title), Author: plainLine(e.Author),
			Content: cleanHTML(e.Content), Published: e.Published.UTC(),
		},
		FeedID:  strconv.FormatInt(e.FeedID, 10),
		Read:    e.Status == "read",
		Starred: e.Starred,
	}
}

// minifluxCursor is what a Miniflux pull remembers: the newest entry id
// stored.
type minifluxCursor struct {
	LastID int64 `json:"last_id"`
}

func (c minifluxCursor) encode() []byte {
	b, _ := json.Marshal(c)
	return b
}

func (m *miniflux) Pull(ctx context.Context, cursor []byte, known map[string]bool, save func(Batch) error) error {
	var cur minifluxCursor
	if len(cursor) > 0 {
		if err := json.Unmarshal(cursor, &cur); err != nil {
			cur = minifluxCursor{} // a cursor from another version: start over
		}
	}
	if err := m.pullNew(ctx, &cur, known, save); err != nil {
		return err
	}
	unread, err := m.entryIDs(ctx, url.Values{"status": {"unread"}})
	if err != nil {
		return err
	}
	starred, err := m.entryIDs(ctx, url.Values{"starred": {"true"}})
	if err != nil {
		return err
	}
	// Ids above the cursor arrived while the ids were listed; ids below
	// it that are not here were deleted here by retention.
	var newer bool
	var missing []string
	for _, set := range []map[string]bool{unread, starred} {
		for id := range set {
			if known[id] {
				continue
			}
			if n, _ := strconv.ParseInt(id, 10, 64); n > cur.LastID {
				newer = true
			} else if !slices.Contains(missing, id) {
				missing = append(missing, id)
			}
		}
	}
	if newer {
		if err := m.pullNew(ctx, &cur, known, save); err != nil {
			return err
		}
	}
	slices.Sort(missing)
	if len(missing) > minifluxMissingLimit {
		missing = missing[:minifluxMissingLimit]
	}
	var items []news.RemoteItem
	for _, id := range missing {
		var e minifluxEntry
		err := m.call(ctx, request{method: "GET", path: "/v1/entries/" + id}, &e)
		if isStatus(err, http.StatusNotFound) {
			continue // deleted on the server meanwhile
		}
		if err != nil {
			return err
		}
		items = append(items, e.remote())
		known[id] = true
	}
	if len(items) > 0 {
		if err := save(Batch{Items: items}); err != nil {
			return err
		}
	}
	return save(Batch{State: &news.RemoteState{Unread: unread, Starred: starred}, Cursor: cur.encode()})
}

// pullNew stores the entries after cur.LastID, a page per batch.
func (m *miniflux) pullNew(ctx context.Context, cur *minifluxCursor, known map[string]bool, save func(Batch) error) error {
	for {
		var page struct {
			Entries []minifluxEntry `json:"entries"`
		}
		q := url.Values{
			"after_entry_id": {strconv.FormatInt(cur.LastID, 10)},
			"order":          {"id"},
			"direction":      {"asc"},
			"limit":          {strconv.Itoa(minifluxEntriesPage)},
			"status":         {"unread", "read"}, // not "removed"
		}
		if err := m.call(ctx, request{method: "GET", path: "/v1/entries", query: q}, &page); err != nil {
			return err
		}
		if len(page.Entries) == 0 {
			return nil
		}
		items := make([]news.RemoteItem, len(page.Entries))
		for i, e := range page.Entries {
			items[i] = e.remote()
			cur.LastID = max(cur.LastID, e.ID)
			known[items[i].GUID] = true
		}
		if err := save(Batch{Items: items, Cursor: cur.encode()}); err != nil {
			return err
		}
		if len(page.Entries) < minifluxEntriesPage {
			return nil
		}
	}
}

// entryIDs lists every entry id matching q, a page at a time.
func (m *miniflux) entryIDs(ctx context.Context, q url.Values) (map[string]bool, error) {
	ids := make(map[string]bool)
	for offset := 0; ; {
		var page struct {
			Total int64   `json:"total"`
			IDs   []int64 `json:"entry_ids"`
		}
		q.Set("limit", strconv.Itoa(minifluxIDsPage))
		q.Set("offset", strconv.Itoa(offset))
		if err := m.call(ctx, request{method: "GET", path: "/v1/entries/ids", query: q}, &page); err != nil {
			return nil, err
		}
		for _, id := range page.IDs {
			ids[strconv.FormatInt(id, 10)] = true
		}
		offset += len(page.IDs)
		if len(page.IDs) < minifluxIDsPage || int64(offset) >= page.Total {
			return ids, nil
		}
	}
}

func (m *miniflux) Subscribe(ctx context.Context, feedURL string, tags []string) (news.RemoteFeed, error) {
	if len(tags) > 1 {
		return news.RemoteFeed{}, fmt.Errorf("account %s: a Miniflux feed has one category, not %d", m.Name(), len(tags))
	}
	var found []struct {
		URL string `json:"url"`
	}
	if err := m.call(ctx, request{method: "POST", path: "/v1/discover", json: map[string]string{"url": feedURL}, noRetry: true}, &found); err != nil {
		return news.RemoteFeed{}, err
	}
	if len(found) == 0 {
		return news.RemoteFeed{}, fmt.Errorf("account %s: the server found no feed at %s", m.Name(), feedURL)
	}
	body := map[string]any{"feed_url": found[0].URL}
	if len(tags) == 1 {
		id, err := m.category(ctx, tags[0])
		if err != nil {
			return news.RemoteFeed{}, err
		}
		body["category_id"] = id
	}
	var created struct {
		FeedID int64 `json:"feed_id"`
	}
	if err := m.call(ctx, request{method: "POST", path: "/v1/feeds", json: body, noRetry: true}, &created); err != nil {
		return news.RemoteFeed{}, err
	}
	var f minifluxFeed
	if err := m.call(ctx, request{method: "GET", path: "/v1/feeds/" + strconv.FormatInt(created.FeedID, 10)}, &f); err != nil {
		return news.RemoteFeed{}, err
	}
	return f.remote(), nil
}

// category returns the id of the category titled title, creating it if
// there is none.
func (m *miniflux) category(ctx context.Context, title string) (int64, error) {
	var cats []struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	}
	if err := m.call(ctx, request{method: "GET", path: "/v1/categories"}, &cats); err != nil {
		return 0, err
	}
	for _, c := range cats {
		if strings.EqualFold(c.Title, title) {
			return c.ID, nil
		}
	}
	var created struct {
		ID int64 `json:"id"`
	}
	err := m.call(ctx, request{method: "POST", path: "/v1/categories", json: map[string]string{"title": title}, noRetry: true}, &created)
	return created.ID, err
}

func (m *miniflux) Unsubscribe(ctx context.Context, feedID string) error {
	if _, err := strconv.ParseInt(feedID, 10, 64); err != nil {
		return errors.New("not a Miniflux feed id: " + feedID)
	}
	return m.call(ctx, request{method: "DELETE", path: "/v1/feeds/" + feedID}, nil)
}
