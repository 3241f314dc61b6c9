package reader

import (
	"context"
	"sync"

	"github.com/bylinehq/byline/article"
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

// keepPictures fetches the article's pictures, shrinks them and keeps them
// beside its page, and returns those kept. A picture that cannot be had
// (gone, too large, a tracking pixel, SVG) keeps its "[image: alt] [n]"
// line in the text, which says what is there.
func (s *Service) keepPictures(ctx context.Context, pageURL string, a *article.Article) []news.Picture {
	srcs := a.PictureSources()
	if len(srcs) > maxPicturesPerPage {
		srcs = srcs[:maxPicturesPerPage]
	}
	if len(srcs) == 0 {
		return nil
	}
	got := make([]*news.Picture, len(srcs))
	var wg sync.WaitGroup
	work := make(chan int)
	for range min(pictureJobs, len(srcs)) {
		wg.Go(func() {
			for i := range work {
				got[i] = s.fetchPicture(ctx, srcs[i])
			}
		})
	}
	for i := range srcs {
		work <- i
	}
	close(work)
	wg.Wait()

	var kept []news.Picture
	total := 0
	for _, p := range got {
		if p == nil || total+len(p.Data)+len(p.Small) > maxPictureBytesPerPage {
			continue
		}
		total += len(p.Data) + len(p.Small)
		kept = append(kept, *p)
	}
	// If they cannot be kept they are shown this time all the same, and
	// the page's next fetch tries again.
	_ = s.store.SavePictures(ctx, pageURL, kept)
	return kept
}

func (s *Service) fetchPicture(ctx context.Context, src string) *news.Picture {
	if ctx.Err() != nil {
		return nil
	}
	img, err := s.pages.FetchImage(ctx, src, picture.MaxBytes)
	if err != nil {
		return nil
	}
	p, err := picture.Prepare(img.Body)
	if err != nil {
		return nil
	}
	return &news.Picture{Src: src, Width: p.Width, Height: p.Height, Format: p.Format, Data: p.Data, Small: p.Small}
}
