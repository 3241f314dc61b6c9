package feedserver

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestPagesServeEveryItemsStory(t *testing.T) {
	s := mustStart(t, Options{Feeds: 3, Items: 4, ItemWords: 100, Pages: true, Epoch: testEpoch})
	for _, u := range s.URLs() {
		f := parse(t, get(t, u, nil).body)
		for _, it := range f.Items {
			if !strings.HasPrefix(it.Link, "http://127.0.0.") || !strings.Contains(it.Link, "/pages/") {
				t.Fatalf("item link %q is not a page on the server", it.Link)
			}
			page := get(t, it.Link, nil)
			if page.status != 200 || page.header.Get("Content-Type") != "text/html; charset=utf-8" {
				t.Fatalf("GET %s: %d %s", it.Link, page.status, page.header.Get("Content-Type"))
			}
			// The page holds the item's title and its lead sentence.
			lead := strings.Fields(it.Description)[1]
			if !strings.Contains(string(page.body), it.Title) || !strings.Contains(string(page.body), lead) {
				t.Errorf("page %s lacks the item's title %q or lead %q:\n%s", it.Link, it.Title, lead, page.body)
			}
			if strings.Contains(string(page.body), "&lt;") || !strings.Contains(string(page.body), "</p>") {
				t.Errorf("page %s has escaped markup:\n%s", it.Link, page.body)
			}
		}
	}
	if n := s.Stats().Pages; n != 12 {
		t.Errorf("Stats().Pages = %d, want 12", n)
	}
	// A page of an item no feed has carried yet is a 404.
	if r := get(t, strings.Replace(s.URLs()[0], "/feeds/0.xml", "/pages/0/4.html", 1), nil); r.status != 404 {
		t.Errorf("page of a future item: %d, want 404", r.status)
	}
}

func TestPagesOffByDefault(t *testing.T) {
	s := mustStart(t, Options{Feeds: 1, Items: 1, ItemWords: 10, Epoch: testEpoch})
	f := parse(t, get(t, s.URLs()[0], nil).body)
	if !strings.Contains(f.Items[0].Link, ".bench.invalid/") {
		t.Errorf("item link %q without Pages", f.Items[0].Link)
	}
}

func TestFailRateFailsAboutThatShareOfFeeds(t *testing.T) {
	const feeds = 400
	s := mustStart(t, Options{Feeds: feeds, Items: 1, ItemWords: 10, FailRate: 0.1, Seed: 3})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	count := func() (failed int, failedSet map[int]bool) {
		failedSet = map[int]bool{}
		for i, u := range s.URLs() {
			resp, err := client.Get(u)
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
				if err == nil && resp.StatusCode != 200 {
					err = errors.New(resp.Status)
				}
			}
			if err != nil {
				failed++
				failedSet[i] = true
			}
		}
		return failed, failedSet
	}
	n1, set1 := count()
	n1again, set1again := count()
	s.Bump()
	n2, set2 := count()
	for _, n := range []int{n1, n2} {
		if n < feeds*5/100 || n > feeds*15/100 {
			t.Errorf("%d of %d feeds failed, want about 10%%", n, feeds)
		}
	}
	if n1 != n1again || len(set1) != len(set1again) {
		t.Errorf("the same generation failed %d then %d feeds", n1, n1again)
	}
	same := 0
	for f := range set2 {
		if set1[f] {
			same++
		}
	}
	if same == len(set2) {
		t.Errorf("after Bump the same %d feeds failed", same)
	}
	if st := s.Stats(); st.Failed != int64(n1+n1again+n2) {
		t.Errorf("Stats().Failed = %d, want %d", st.Failed, n1+n1again+n2)
	}
}

func TestDropIdleConnsKeepsServing(t *testing.T) {
	s := mustStart(t, Options{Feeds: 1, Items: 1, ItemWords: 10})
	get(t, s.URLs()[0], nil)
	s.DropIdleConns()
	if r := get(t, s.URLs()[0], nil); r.status != 200 {
		t.Errorf("after DropIdleConns: %d", r.status)
	}
}
