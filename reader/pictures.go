package reader

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/picture"
)

// Bounds on the pictures kept with one page: a story has a lead photo and
// a few figures; a gallery of fifty is for the browser.
const (
	maxPicturesPerPage = 12
	// maxPictureBytesPerPage bounds the kept (shrunk) pictures of a page;
	// a kept photo is 50 to 250 KB.
	maxPictureBytesPerPage = 3 << 20
	// pictureJobs is how many pictures of a page are fetched at once;
	// the fetcher's per-host limit still applies.
	pictureJobs = 3
)

// DisablePictures stops the Service from fetching and loading pictures,
// for images = "none": the reader would not show them.
func (s *Service) DisablePictures() { s.noPictures = true }

// addPictures gives a story its pictures, kept under key (a page's URL,
// or cache.FeedTextKey for an article's feed text): those kept before,
// and, when fetch is set, those of its sources not tried yet, fetched now
// and kept with them. A page's pictures are fetched with the page; a feed
// text's when it is first shown, and a picture whose server did not
// answer is tried again the next time.
func (s *Service) addPictures(ctx context.Context, key string, a *article.Article, fetch bool) {
	if s.noPictures {
		return
	}
	// Without its pictures the story still reads: their lines stay.
	kept, _ := s.store.Pictures(ctx, key)
	if fetch {
		kept = s.keepPictures(ctx, key, a, kept)
	}
	a.SetPictures(kept)
}

// keepPictures fetches those of the article's pictures that tried does
// not hold, shrinks them and keeps them under key with the others; it
// returns what is kept, the records of pictures refused among them (see
// news.Picture). A picture whose server did not answer is left out, to be
// tried again.
func (s *Service) keepPictures(ctx context.Context, key string, a *article.Article, tried []news.Picture) []news.Picture {
	srcs := a.PictureSources()
	if len(srcs) > maxPicturesPerPage {
		srcs = srcs[:maxPicturesPerPage]
	}
	known := make(map[string]news.Picture, len(tried))
	for _, p := range tried {
		known[p.Src] = p
	}
	var todo []string
	for _, src := range srcs {
		if _, ok := known[src]; !ok {
			todo = append(todo, src)
		}
	}
	if len(todo) == 0 {
		return tried
	}
	got := make([]*news.Picture, len(todo))
	var wg sync.WaitGroup
	work := make(chan int)
	for range min(pictureJobs, len(todo)) {
		wg.Go(func() {
			for i := range work {
				got[i] = s.fetchPicture(ctx, todo[i])
			}
		})
	}
	for i := range todo {
		work <- i
	}
	close(work)
	wg.Wait()
	answered := false
	for i, p := range got {
		if p != nil {
			known[todo[i]] = *p
			answered = true
		}
	}
	if !answered {
		return tried
	}

	var kept []news.Picture
	total := 0
	for _, src := range srcs {
		p, ok := known[src]
		if !ok {
			continue
		}
		if size := len(p.Data) + len(p.Small); p.Refused == "" && total+size > maxPictureBytesPerPage {
			p = news.Picture{Src: src, Width: p.Width, Height: p.Height, Refused: "the story's pictures are over " + strconv.Itoa(maxPictureBytesPerPage>>20) + " MiB"}
		} else {
			total += size
		}
		kept = append(kept, p)
	}
	// If they cannot be kept they are shown this time all the same, and
	// the next opening tries again.
	_ = s.store.SavePictures(ctx, key, kept)
	return kept
}

// fetchPicture fetches and shrinks a picture. A picture refused (by its
// server, for its size, as a tracking pixel, as unreadable) comes back as
// the record of why; one whose server did not answer, or answered that it
// is busy, as nil.
func (s *Service) fetchPicture(ctx context.Context, src string) *news.Picture {
	if ctx.Err() != nil {
		return nil
	}
	img, err := s.pages.FetchImage(ctx, src, picture.MaxBytes)
	if err != nil {
		var status *feed.HTTPError
		if errors.As(err, &status) && status.StatusCode < 500 && status.StatusCode != http.StatusTooManyRequests {
			return &news.Picture{Src: src, Refused: status.Error()}
		}
		return nil
	}
	p, err := picture.Prepare(img.Body)
	switch {
	case errors.Is(err, picture.ErrTrackingPixel):
		return &news.Picture{Src: src, Refused: news.RefusedTrackingPixel}
	case err != nil:
		return &news.Picture{Src: src, Refused: err.Error()}
	}
	return &news.Picture{Src: src, Width: p.Width, Height: p.Height, Format: p.Format, Data: p.Data, Small: p.Small}
}

// siteAnswered reports whether a page failed for what its site said (a
// status, no article in it, not a web page) rather than for want of an
// answer: then the network is there, and the feed text's pictures are
// worth fetching; without one, each would wait out its own timeout.
func siteAnswered(err error) bool {
	var status *feed.HTTPError
	return errors.As(err, &status) || errors.Is(err, article.ErrNoArticle) || errors.Is(err, article.ErrNotHTML)
}
