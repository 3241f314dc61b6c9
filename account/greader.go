package account

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bylinehq/byline/news"
)

// greader speaks the Google Reader API as FreshRSS, Inoreader, The Old
// Reader, BazQux and Miniflux serve it, under a base URL whose
// /accounts/ClientLogin logs in and /reader/api/0/ is the API.
//
// What the servers do differently, and what this client does about it:
//
//   - Item ids come in a long form (tag:google.com,2005:reader/item/ and 16
//     hex digits), a short decimal form (stream/items/ids of Google,
//     FreshRSS, Inoreader, Miniflux; negative when the top bit is set) and,
//     at The Old Reader, a 24-hex-digit ObjectId. They are stored in one
//     canonical form (canonicalItemID) and sent in the long form, which
//     every server accepts.
//   - The edit token (T) is its own value at FreshRSS and the Auth token
//     at Miniflux and The Old Reader; it is always asked of /token.
//     Miniflux reads a POST's token only from T, others only from the
//     Authorization header, so a POST carries both.
//   - Inoreader wants an AppId and AppKey header on every request
//     (app-id, app-key); a wrong pair is a 403, said like a refused login.
//   - Stream ids of feeds are feed/URL at FreshRSS, feed/NUMBER at
//     Miniflux, feed/OBJECTID at The Old Reader: opaque, kept as given.
//
// A pull asks for the ids of the unread and of the starred items, and of
// the items of the last days (ot), and fetches the contents of those not
// stored yet, in batches. Idle, that is four requests after the login.
type greader struct {
	http *httpAccount

	mu        sync.Mutex
	authToken string
	editToken string
}

const (
	readerAPI     = "/reader/api/0"
	streamRead    = "user/-/state/com.google/read"
	streamStarred = "user/-/state/com.google/starred"
	streamAll     = "user/-/state/com.google/reading-list"
	labelPrefix   = "user/-/label/"
	longIDPrefix  = "tag:google.com,2005:reader/item/"
	// greaderIDsPage is the most ids a server returns at once (10,000 at
	// The Old Reader and Miniflux).
	greaderIDsPage = 10000
	// greaderContentsBatch items per stream/items/contents or edit-tag;
	// The Old Reader takes up to 1,000, smaller servers less.
	greaderContentsBatch = 250
	// greaderRecent is how far back each pull looks for new items, by
	// their date: the servers filter ot on the item's date (Miniflux) or
	// its arrival (FreshRSS), and a feed may publish late.
	greaderRecent = 3 * 24 * time.Hour
	// greaderFirstLimit bounds the items of a first sync beyond the unread
	// and starred ones.
	greaderFirstLimit = 20000
)

func (g *greader) Name() string   { return g.http.account.Name }
func (g *greader) Server() string { return "greader " + g.http.base.String() }

// login gets the Auth token, once per client.
func (g *greader) login(ctx context.Context) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.authToken != "" {
		return g.authToken, nil
	}
	password, err := g.http.password(ctx)
	if err != nil {
		return "", err
	}
	form := url.Values{
		"Email": {g.http.account.Username}, "Passwd": {password},
		"client": {"byline"}, "accountType": {"HOSTED_OR_GOOGLE"}, "service": {"reader"},
	}
	var text string
	if err := g.http.do(ctx, request{method: "POST", path: "/accounts/ClientLogin", form: form}, &text); err != nil {
		return "", err
	}
	token := parseAuth(text)
	if token == "" {
		return "", fmt.Errorf("account %s: the server's login answer has no Auth token", g.Name())
	}
	g.http.remember(token)
	g.authToken = token
	return token, nil
}

// parseAuth finds the Auth token in a ClientLogin answer: lines of
// KEY=value, or the same as JSON.
func parseAuth(text string) string {
	for line := range strings.Lines(text) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Auth="); ok {
			return v
		}
	}
	var j struct {
		Auth string `json:"Auth"`
	}
	if json.Unmarshal([]byte(text), &j) == nil {
		return j.Auth
	}
	return ""
}

func (g *greader) authorize(token string) func(*http.Request) error {
	return func(r *http.Request) error {
		r.Header.Set("Authorization", "GoogleLogin auth="+token)
		return nil
	}
}

func (g *greader) get(ctx context.Context, path string, q url.Values, out any) error {
	token, err := g.login(ctx)
	if err != nil {
		return err
	}
	if q == nil {
		q = url.Values{}
	}
	q.Set("output", "json")
	return g.http.do(ctx, request{method: "GET", path: readerAPI + path, query: q, auth: g.authorize(token)}, out)
}

// post sends a form with the edit token; out may be nil, a *string or JSON.
func (g *greader) post(ctx context.Context, path string, form url.Values, out any, noRetry bool) error {
	token, err := g.login(ctx)
	if err != nil {
		return err
	}
	edit, err := g.token(ctx, token)
	if err != nil {
		return err
	}
	form.Set("T", edit)
	q := url.Values{"output": {"json"}}
	return g.http.do(ctx, request{method: "POST", path: readerAPI + path, query: q, form: form, auth: g.authorize(token), noRetry: noRetry}, out)
}

// token gets the edit token, once per client.
func (g *greader) token(ctx context.Context, auth string) (string, error) {
	g.mu.Lock()
	edit := g.editToken
	g.mu.Unlock()
	if edit != "" {
		return edit, nil
	}
	var text string
	if err := g.http.do(ctx, request{method: "GET", path: readerAPI + "/token", auth: g.authorize(auth)}, &text); err != nil {
		return "", err
	}
	edit = strings.TrimSpace(text)
	g.http.remember(edit)
	g.mu.Lock()
	g.editToken = edit
	g.mu.Unlock()
	return edit, nil
}

type greaderSubscription struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	URL        string `json:"url"`
	HTMLURL    string `json:"htmlUrl"`
	Categories []struct {
		ID    string `json:"id"`
		Label string `json:"label"`
	} `json:"categories"`
}

func (s greaderSubscription) remote() news.RemoteFeed {
	feedURL := s.URL
	if feedURL == "" {
		feedURL, _ = strings.CutPrefix(s.ID, "feed/") // FreshRSS and Google: feed/URL
	}
	rf := news.RemoteFeed{ID: s.ID, URL: cleanURL(feedURL), Title: plainLine(s.Title), SiteURL: cleanURL(s.HTMLURL)}
	for _, c := range s.Categories {
		label := c.Label
		if label == "" {
			_, label, _ = strings.Cut(c.ID, "/label/")
		}
		if label = plainLine(label); label != "" {
			rf.Tags = append(rf.Tags, label)
		}
	}
	return rf
}

func (g *greader) Feeds(ctx context.Context) ([]news.RemoteFeed, error) {
	var list struct {
		Subscriptions []greaderSubscription `json:"subscriptions"`
	}
	if err := g.get(ctx, "/subscription/list", nil, &list); err != nil {
		return nil, err
	}
	out := make([]news.RemoteFeed, 0, len(list.Subscriptions))
	for _, s := range list.Subscriptions {
		if s.ID != "" {
			out = append(out, s.remote())
		}
	}
	return out, nil
}

func (g *greader) Push(ctx context.Context, marks []news.Mark, acked func([]news.Mark) error) error {
	for _, group := range groupMarks(marks) {
		for chunk := range slices.Chunk(group, greaderContentsBatch) {
			form := url.Values{}
			stream := streamRead
			if chunk[0].Flag == news.FlagStarred {
				stream = streamStarred
			}
			if chunk[0].On {
				form.Set("a", stream)
			} else {
				form.Set("r", stream)
			}
			for _, mk := range chunk {
				form.Add("i", longItemID(mk.RemoteID))
			}
			if err := g.post(ctx, "/edit-tag", form, nil, false); err != nil {
				return err
			}
			if err := acked(chunk); err != nil {
				return err
			}
		}
	}
	return nil
}

// greaderCursor is what a pull remembers: when the last one began, by
// the server's item dates.
type greaderCursor struct {
	Since int64 `json:"since"` // unix seconds
}

func (g *greader) Pull(ctx context.Context, cursor []byte, known map[string]bool, save func(Batch) error) error {
	var cur greaderCursor
	if len(cursor) > 0 && json.Unmarshal(cursor, &cur) != nil {
		cur = greaderCursor{}
	}
	started := time.Now()
	unread, err := g.itemIDs(ctx, url.Values{"s": {streamAll}, "xt": {streamRead}}, 0)
	if err != nil {
		return err
	}
	starred, err := g.itemIDs(ctx, url.Values{"s": {streamStarred}}, 0)
	if err != nil {
		return err
	}
	recentQuery := url.Values{"s": {streamAll}}
	limit := greaderFirstLimit
	if cur.Since > 0 {
		recentQuery.Set("ot", strconv.FormatInt(cur.Since-int64(greaderRecent/time.Second), 10))
		limit = 0
	}
	recent, err := g.itemIDs(ctx, recentQuery, limit)
	if err != nil {
		return err
	}
	var missing []string
	for _, set := range []map[string]bool{unread, starred, recent} {
		for id := range set {
			if !known[id] {
				known[id] = true
				missing = append(missing, id)
			}
		}
	}
	slices.Sort(missing)
	for chunk := range slices.Chunk(missing, greaderContentsBatch) {
		items, err := g.contents(ctx, chunk, unread, starred)
		if err != nil {
			return err
		}
		if err := save(Batch{Items: items}); err != nil {
			return err
		}
	}
	next := greaderCursor{Since: started.Unix()}
	b, _ := json.Marshal(next)
	return save(Batch{State: &news.RemoteState{Unread: unread, Starred: starred}, Cursor: b})
}

// itemIDs lists the canonical ids of a stream, following continuations,
// up to limit (0: all).
func (g *greader) itemIDs(ctx context.Context, q url.Values, limit int) (map[string]bool, error) {
	ids := make(map[string]bool)
	for {
		var page struct {
			ItemRefs []struct {
				ID string `json:"id"`
			} `json:"itemRefs"`
			Continuation json.RawMessage `json:"continuation"`
		}
		q.Set("n", strconv.Itoa(greaderIDsPage))
		if err := g.get(ctx, "/stream/items/ids", q, &page); err != nil {
			return nil, err
		}
		for _, ref := range page.ItemRefs {
			if id, ok := canonicalItemID(ref.ID); ok {
				ids[id] = true
			}
		}
		// A continuation is a string at most servers and a number at some.
		var c string
		if json.Unmarshal(page.Continuation, &c) != nil {
			c = strings.TrimSpace(string(page.Continuation))
		}
		if c == "" || c == "null" || len(page.ItemRefs) == 0 || (limit > 0 && len(ids) >= limit) {
			return ids, nil
		}
		q.Set("c", c)
	}
}

type greaderItem struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Published  int64    `json:"published"`
	Updated    int64    `json:"updated"`
	Author     string   `json:"author"`
	Categories []string `json:"categories"`
	Canonical  []struct {
		Href string `json:"href"`
	} `json:"canonical"`
	Alternate []struct {
		Href string `json:"href"`
	} `json:"alternate"`
	Summary struct {
		Content string `json:"content"`
	} `json:"summary"`
	Content struct {
		Content string `json:"content"`
	} `json:"content"`
	Origin struct {
		StreamID string `json:"streamId"`
	} `json:"origin"`
}

// contents fetches items by canonical id; their read and starred state is
// the sets' (listed a moment ago) where the item carries none.
func (g *greader) contents(ctx context.Context, ids []string, unread, starred map[string]bool) ([]news.RemoteItem, error) {
	form := url.Values{}
	for _, id := range ids {
		form.Add("i", longItemID(id))
	}
	var resp struct {
		Items []greaderItem `json:"items"`
	}
	if err := g.post(ctx, "/stream/items/contents", form, &resp, false); err != nil {
		return nil, err
	}
	items := make([]news.RemoteItem, 0, len(resp.Items))
	for _, it := range resp.Items {
		id, ok := canonicalItemID(it.ID)
		if !ok || it.Origin.StreamID == "" {
			continue
		}
		link := ""
		for _, l := range append(it.Canonical, it.Alternate...) {
			if link = cleanURL(l.Href); link != "" {
				break
			}
		}
		content := it.Content.Content
		summary := it.Summary.Content
		if content == summary {
			summary = "" // Miniflux sends the same text twice
		}
		item := news.RemoteItem{
			Item: news.Item{
				GUID: id, URL: link, Title: plainLine(it.Title), Author: plainLine(it.Author),
				Summary: cleanHTML(summary), Content: cleanHTML(content),
				Published: unixOrZero(it.Published), Updated: unixOrZero(it.Updated),
			},
			FeedID:  it.Origin.StreamID,
			Read:    !unread[id],
			Starred: starred[id],
		}
		items = append(items, item)
	}
	return items, nil
}

func unixOrZero(sec int64) time.Time {
	if sec <= 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

func (g *greader) Subscribe(ctx context.Context, feedURL string, tags []string) (news.RemoteFeed, error) {
	var added struct {
		NumResults int    `json:"numResults"`
		StreamID   string `json:"streamId"`
		Error      string `json:"error"`
	}
	if err := g.post(ctx, "/subscription/quickadd", url.Values{"quickadd": {feedURL}}, &added, true); err != nil {
		return news.RemoteFeed{}, err
	}
	if added.NumResults == 0 || added.StreamID == "" {
		reason := "no feed found there"
		if added.Error != "" {
			reason = plainLine(added.Error)
		}
		return news.RemoteFeed{}, fmt.Errorf("account %s: the server did not subscribe to %s: %s", g.Name(), feedURL, reason)
	}
	for _, tag := range tags {
		form := url.Values{"ac": {"edit"}, "s": {added.StreamID}, "a": {labelPrefix + tag}}
		if err := g.post(ctx, "/subscription/edit", form, nil, false); err != nil {
			return news.RemoteFeed{}, err
		}
	}
	feeds, err := g.Feeds(ctx)
	if err != nil {
		return news.RemoteFeed{}, err
	}
	for _, f := range feeds {
		if f.ID == added.StreamID {
			return f, nil
		}
	}
	return news.RemoteFeed{ID: added.StreamID, URL: feedURL, Tags: tags}, nil
}

func (g *greader) Unsubscribe(ctx context.Context, feedID string) error {
	return g.post(ctx, "/subscription/edit", url.Values{"ac": {"unsubscribe"}, "s": {feedID}}, nil, false)
}

// canonicalItemID turns any form of an item id into the one stored:
// lower-case hex, at least 16 digits. Decimal short forms (signed, as
// Google wrote them) become their 64-bit hex; hex forms, long or bare,
// keep their digits, so The Old Reader's 24-digit ids stay whole.
func canonicalItemID(id string) (string, bool) {
	id = strings.TrimSpace(id)
	if hex, ok := strings.CutPrefix(id, longIDPrefix); ok {
		return paddedHex(hex)
	}
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		return fmt.Sprintf("%016x", uint64(n)), true
	}
	if n, err := strconv.ParseUint(id, 10, 64); err == nil {
		return fmt.Sprintf("%016x", n), true
	}
	return paddedHex(id)
}

func paddedHex(s string) (string, bool) {
	s = strings.ToLower(s)
	if s == "" || len(s) > 32 || strings.Trim(s, "0123456789abcdef") != "" {
		return "", false
	}
	if len(s) < 16 {
		s = strings.Repeat("0", 16-len(s)) + s
	}
	return s, true
}

// longItemID is the long form of a canonical id.
func longItemID(id string) string { return longIDPrefix + id }
