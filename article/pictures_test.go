package article

import (
	"strings"
	"testing"
	"time"

	"github.com/bylinehq/byline/news"
)

// SetPictures takes a tracking pixel's line out of the story, and its
// link unless the text links there too; a picture refused for another
// reason keeps its line, the others their numbers.
func TestSetPicturesDropsTrackingPixels(t *testing.T) {
	a := FromFeed("Storm", storyURL, "", time.Time{}, prose+
		`<img src="https://courier.example/counter.gif" alt="a counter">
<p>The <a href="https://courier.example/seen.gif">seen beacon</a> is linked from the text.</p>
<img src="https://courier.example/seen.gif" alt="seen">
<figure><img src="https://courier.example/huge.png" alt="A huge panorama"></figure>
<figure><img src="https://courier.example/photo.jpg" alt="The quay"></figure>`)
	number := map[string]int{}
	for _, l := range a.Links {
		number[l.URL] = l.N
	}
	a.SetPictures([]news.Picture{
		{Src: "https://courier.example/counter.gif", Refused: news.RefusedTrackingPixel},
		{Src: "https://courier.example/seen.gif", Refused: news.RefusedTrackingPixel},
		{Src: "https://courier.example/huge.png", Refused: "image too large"},
		{Src: "https://courier.example/photo.jpg", Width: 4, Height: 3, Format: "jpeg", Data: []byte{1}},
	})
	if len(a.Pictures) != 1 || a.Pictures[0].Src != "https://courier.example/photo.jpg" {
		t.Fatalf("pictures %+v, want the photo alone", a.Pictures)
	}
	for _, gone := range []string{"a counter", "[image: seen]", "\n\n\n"} {
		if strings.Contains(a.Markdown, gone) {
			t.Errorf("the story holds %q:\n%s", gone, a.Markdown)
		}
	}
	for _, kept := range []string{"seen beacon", "[image: A huge panorama]", "[image: The quay]"} {
		if !strings.Contains(a.Markdown, kept) {
			t.Errorf("the story lost %q:\n%s", kept, a.Markdown)
		}
	}
	left := map[string]int{}
	for _, l := range a.Links {
		left[l.URL] = l.N
	}
	if _, ok := left["https://courier.example/counter.gif"]; ok {
		t.Error("the pixel's link is still listed")
	}
	for _, url := range []string{"https://courier.example/seen.gif", "https://courier.example/huge.png", "https://courier.example/photo.jpg"} {
		if left[url] != number[url] || number[url] == 0 {
			t.Errorf("%s is [%d], was [%d]", url, left[url], number[url])
		}
	}
}
