package cache

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/bylinehq/byline/news"
)

func remoteItem(feed string, n int, read, starred bool) news.RemoteItem {
	return news.RemoteItem{
		Item:   news.Item{GUID: fmt.Sprint(n), URL: fmt.Sprintf("https://x.example/%d", n), Title: fmt.Sprintf("Entry %d", n), Content: "<p>text</p>", Published: day0},
		FeedID: feed, Read: read, Starred: starred,
	}
}

// syncedStore has a local feed and an account "home" with two feeds of
// three entries each (entry 1 read, entry 2 starred on the server).
func syncedStore(t *testing.T) (s *Store, feedIDs map[string]int64, byGUID map[string]int64) {
	t.Helper()
	s = mustOpen(t)
	subscribe(t, s, news.Subscription{URL: "http://127.0.0.1/local.xml"})
	if _, err := s.AccountState(ctx, "home", "miniflux http://server"); err != nil {
		t.Fatal(err)
	}
	feedIDs, err := s.SaveRemoteFeeds(ctx, "home", []news.RemoteFeed{
		{ID: "1", URL: "http://127.0.0.1/local.xml", Title: "Same URL as the local feed", Tags: []string{"News"}},
		{ID: "2", URL: "https://b.example/feed", Title: "B"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var items []news.RemoteItem
	for n := 1; n <= 6; n++ {
		items = append(items, remoteItem(fmt.Sprint(1+(n-1)/3), n, n == 1, n == 2))
	}
	added, err := s.SaveRemoteItems(ctx, "home", feedIDs, PrepareRemote(items), []byte(`{"last_id":6}`))
	if err != nil || added != 6 {
		t.Fatalf("saved %d, %v", added, err)
	}
	byGUID = map[string]int64{}
	articles, _ := s.Articles(ctx, news.Filter{})
	for _, a := range articles {
		if a.FeedID != feedIDs["1"] && a.FeedID != feedIDs["2"] {
			continue
		}
		byGUID[a.GUID] = a.ID
	}
	return s, feedIDs, byGUID
}

func flags(t *testing.T, s *Store, id int64) (read, starred bool) {
	t.Helper()
	a, err := s.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Read, a.Starred
}

func TestSyncedFeedsBesideLocalOnes(t *testing.T) {
	s, feedIDs, byGUID := syncedStore(t)
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 3 {
		t.Fatalf("%d feeds, %v", len(feeds), err)
	}
	if feeds[0].Account != "" || feeds[1].Account != "home" || feeds[1].RemoteID != "1" || !slices.Equal(feeds[1].Tags, []string{"News"}) {
		t.Errorf("feeds: %+v", feeds)
	}
	if feeds[1].Unread != 2 || feeds[1].Total != 3 || feeds[2].Unread != 3 {
		t.Errorf("counts: %+v", feeds)
	}
	if r, st := flags(t, s, byGUID["1"]); !r || st {
		t.Errorf("entry 1: read %v starred %v", r, st)
	}
	// The urls file's sync leaves the account's feeds alone.
	if err := s.SyncSubscriptions(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if feeds, _ := s.Feeds(ctx); len(feeds) != 2 {
		t.Errorf("after emptying the urls file: %+v", feeds)
	}
	// A feed the server no longer lists is unsubscribed; its starred article stays listed.
	if _, err := s.SaveRemoteFeeds(ctx, "home", []news.RemoteFeed{{ID: "2", URL: "https://b.example/feed"}}); err != nil {
		t.Fatal(err)
	}
	if feeds, _ := s.Feeds(ctx); len(feeds) != 1 || feeds[0].ID != feedIDs["2"] {
		t.Errorf("after the server dropped feed 1: %+v", feeds)
	}
	if starred, _ := s.Articles(ctx, news.Filter{Starred: true}); len(starred) != 1 || starred[0].GUID != "2" {
		t.Errorf("starred after the drop: %+v", starred)
	}
	// An account gone from config.toml takes its feeds from the lists.
	if err := s.KeepAccounts(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if feeds, _ := s.Feeds(ctx); len(feeds) != 0 {
		t.Errorf("after the account went: %+v", feeds)
	}
}

func TestMarksOfSyncedArticlesAreQueued(t *testing.T) {
	s, _, byGUID := syncedStore(t)
	local := subscribe(t, s, news.Subscription{URL: "http://127.0.0.1/local.xml"})[0]
	mustSave(t, s, local, okResult(item("l1", 1)))
	localArticle := mustArticles(t, s, news.Filter{FeedIDs: []int64{local}})[0].ID

	if err := s.SetRead(ctx, []int64{byGUID["3"], localArticle}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, []int64{byGUID["2"]}, false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRead(ctx, []int64{byGUID["1"]}, true); err != nil { // no change: nothing to queue
		t.Fatal(err)
	}
	marks, err := s.PendingMarks(ctx, "home")
	if err != nil {
		t.Fatal(err)
	}
	if len(marks) != 2 || marks[0].RemoteID != "3" || marks[0].Flag != news.FlagRead || !marks[0].On ||
		marks[1].RemoteID != "2" || marks[1].Flag != news.FlagStarred || marks[1].On {
		t.Fatalf("marks: %+v", marks)
	}
	// A later change of the same flag replaces the waiting one.
	if err := s.SetRead(ctx, []int64{byGUID["3"]}, false); err != nil {
		t.Fatal(err)
	}
	again, _ := s.PendingMarks(ctx, "home")
	if len(again) != 2 || again[1].RemoteID != "3" || again[1].On || again[1].Seq <= marks[1].Seq {
		t.Fatalf("after unread: %+v", again)
	}
	// Acknowledging the old read (pushed before the unread) keeps the unread.
	if err := s.MarksPushed(ctx, marks[:1]); err != nil {
		t.Fatal(err)
	}
	if waiting, _ := s.Waiting(ctx); waiting["home"] != 2 {
		t.Errorf("waiting after a stale ack: %v", waiting)
	}
	if err := s.MarksPushed(ctx, again); err != nil {
		t.Fatal(err)
	}
	if waiting, _ := s.Waiting(ctx); len(waiting) != 0 {
		t.Errorf("waiting after the acks: %v", waiting)
	}
	// Marking everything read queues every synced article that changes:
	// the five unread ones (the local article was read above).
	n, err := s.MarkAllRead(ctx, news.Filter{})
	if err != nil || n != 5 {
		t.Fatalf("mark all read: %d, %v", n, err)
	}
	if waiting, _ := s.Waiting(ctx); waiting["home"] != 5 {
		t.Errorf("waiting after mark all read: %v", waiting)
	}
}

// TestConflictRule: a change made here and not pushed wins over what the
// server says; otherwise the server is the truth.
func TestConflictRule(t *testing.T) {
	s, feedIDs, byGUID := syncedStore(t)
	if err := s.SetRead(ctx, []int64{byGUID["4"]}, true); err != nil { // waiting
		t.Fatal(err)
	}
	state := news.RemoteState{
		Unread:  map[string]bool{"1": true, "4": true, "5": true, "6": true}, // 1 unread there now; 2, 3 read
		Starred: map[string]bool{"5": true},                                  // 2 unstarred, 5 starred there
	}
	changed, err := s.ApplyRemoteState(ctx, "home", state, []byte(`{"last_id":6}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]bool{"1": {false, false}, "2": {true, false}, "3": {true, false}, "4": {true, false}, "5": {false, true}, "6": {false, false}}
	for guid, w := range want {
		if r, st := flags(t, s, byGUID[guid]); r != w[0] || st != w[1] {
			t.Errorf("entry %s: read %v starred %v, want %v", guid, r, st, w)
		}
	}
	if changed != 5 {
		t.Errorf("changed %d flags, want 5", changed)
	}
	// Entries arriving with a state also yield to the outbox.
	if _, err := s.SaveRemoteItems(ctx, "home", feedIDs, PrepareRemote([]news.RemoteItem{remoteItem("2", 4, false, true)}), nil); err != nil {
		t.Fatal(err)
	}
	if r, st := flags(t, s, byGUID["4"]); !r || !st {
		t.Errorf("entry 4 after a batch: read %v starred %v", r, st)
	}
	// Pushed, the server's next word is the truth.
	marks, _ := s.PendingMarks(ctx, "home")
	s.MarksPushed(ctx, marks)
	if _, err := s.ApplyRemoteState(ctx, "home", state, nil); err != nil {
		t.Fatal(err)
	}
	if r, _ := flags(t, s, byGUID["4"]); r {
		t.Error("entry 4 stayed read after the push; the server says unread")
	}
	feeds, _ := s.Feeds(ctx)
	unread := 0
	for _, f := range feeds {
		if f.Account == "home" {
			unread += f.Unread
		}
	}
	if unread != 4 {
		t.Errorf("the feeds count %d unread, want 4", unread)
	}
}

func TestAccountStateStartsOverOnAnotherServer(t *testing.T) {
	s, _, _ := syncedStore(t)
	state, err := s.AccountState(ctx, "home", "miniflux http://server")
	if err != nil || string(state) != `{"last_id":6}` {
		t.Fatalf("state %q, %v", state, err)
	}
	if err := s.SaveAccountResult(ctx, "home", ""); err != nil {
		t.Fatal(err)
	}
	state, err = s.AccountState(ctx, "home", "greader http://other")
	if err != nil || state != nil {
		t.Fatalf("another server: state %q, %v", state, err)
	}
	if feeds, _ := s.Feeds(ctx); len(feeds) != 1 {
		t.Errorf("the old server's feeds are still listed: %+v", feeds)
	}
	// The new server's feed 1 is a new feed, not the old one.
	ids, err := s.SaveRemoteFeeds(ctx, "home", []news.RemoteFeed{{ID: "1", URL: "https://c.example/feed"}})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Count(ctx, news.Filter{FeedIDs: []int64{ids["1"]}}); n != 0 {
		t.Errorf("the new feed has %d of the old one's articles", n)
	}
}

func TestSyncedArticlesAreSearchable(t *testing.T) {
	s, _, _ := syncedStore(t)
	if _, err := s.IndexPending(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := hitGUIDs(mustSearch(t, s, "entry 5")); !slices.Contains(got, "5") {
		t.Errorf("search: %v", got)
	}
}

// Entries that rules kept out, and unread ones retention deleted past a
// feed's max-items, count as known to a sync under the same rules, so it
// does not fetch them again; under other rules it does. Once the server
// no longer lists them as unread or starred they are forgotten.
func TestKeptOutEntriesAreNotFetchedAgain(t *testing.T) {
	s, feedIDs, _ := syncedStore(t)
	p := PrepareRemote([]news.RemoteItem{remoteItem("2", 7, false, false)})
	p.KeptOut("rules-a", []string{"8", "9"})
	if added, err := s.SaveRemoteItems(ctx, "home", feedIDs, p, nil); err != nil || added != 1 {
		t.Fatalf("saved %d, %v", added, err)
	}
	if n, _ := s.Count(ctx, news.Filter{FeedIDs: []int64{feedIDs["2"]}}); n != 4 {
		t.Errorf("feed 2 has %d articles, want 4: kept-out entries are not stored", n)
	}
	known := func(rules string) []string {
		t.Helper()
		ids, err := s.RemoteArticles(ctx, "home", rules)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for id := range ids {
			out = append(out, id)
		}
		slices.Sort(out)
		return out
	}
	if got, want := known("rules-a"), []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}; !slices.Equal(got, want) {
		t.Errorf("known under the same rules: %v, want %v", got, want)
	}
	if got, want := known("rules-b"), []string{"1", "2", "3", "4", "5", "6", "7"}; !slices.Equal(got, want) {
		t.Errorf("known under other rules: %v, want %v", got, want)
	}

	// Feed 2 keeps its newest 2: entries 5 and 6 are unread, 4 too, and 7;
	// all have the same date, so the lowest ids go. The unread ones among
	// them are remembered whatever the rules; a read one is not.
	var four int64
	articles, _ := s.Articles(ctx, news.Filter{FeedIDs: []int64{feedIDs["2"]}})
	for _, a := range articles {
		if a.GUID == "4" {
			four = a.ID
		}
	}
	if err := s.SetRead(ctx, []int64{four}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Retain(ctx, Retention{Feeds: map[int64]FeedRetention{feedIDs["2"]: {MaxItems: 2}}}); err != nil {
		t.Fatal(err)
	}
	if got, want := known("rules-b"), []string{"1", "2", "3", "5", "6", "7"}; !slices.Equal(got, want) {
		t.Errorf("known after retention: %v, want %v (4 was read: it may come back)", got, want)
	}

	// Forgotten once old and no longer unread or starred on the server.
	s.now = func() time.Time { return time.Now().Add(keptOutGrace + time.Hour) }
	remote := news.RemoteState{Unread: map[string]bool{"2": true, "3": true, "5": true, "9": true}, Starred: map[string]bool{"2": true}}
	if _, err := s.ApplyRemoteState(ctx, "home", remote, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := known("rules-a"), []string{"1", "2", "3", "5", "6", "7", "9"}; !slices.Equal(got, want) {
		t.Errorf("known after the grace: %v, want %v (8 is forgotten)", got, want)
	}
}

// A feed unsubscribed (here, or on the server) keeps its starred articles,
// as a local feed does: the server, which no longer has its entries, lists
// them as neither unread nor starred, and that is not a change of theirs.
func TestUnsubscribedFeedKeepsItsStars(t *testing.T) {
	s, feedIDs, byGUID := syncedStore(t)
	if err := s.UnsubscribeRemote(ctx, feedIDs["1"]); err != nil {
		t.Fatal(err)
	}
	// The server's state without feed 1's entries: 4 read, 5 and 6 unread.
	remote := news.RemoteState{Unread: map[string]bool{"5": true, "6": true}, Starred: map[string]bool{}}
	changed, err := s.ApplyRemoteState(ctx, "home", remote, nil)
	if err != nil {
		t.Fatal(err)
	}
	if changed != 1 {
		t.Errorf("%d flags changed, want 1 (entry 4 read)", changed)
	}
	if r, st := flags(t, s, byGUID["2"]); r || !st {
		t.Errorf("the starred entry of the unsubscribed feed: read %v, starred %v", r, st)
	}
	if r, _ := flags(t, s, byGUID["3"]); r {
		t.Error("an unread entry of the unsubscribed feed was marked read")
	}
	if r, _ := flags(t, s, byGUID["4"]); !r {
		t.Error("entry 4, read on the server, is not read here")
	}
	if n, err := s.Count(ctx, news.Filter{Starred: true}); err != nil || n != 1 {
		t.Errorf("%d starred, %v; want 1", n, err)
	}
}
