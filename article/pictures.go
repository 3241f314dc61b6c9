package article

import (
	"hash/fnv"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"

	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/picture"
)

// imageLine is a body line standing for an image: "[image: alt] [4]".
var imageLine = regexp.MustCompile(`^\[image(?:: .*)?\] \[(\d+)\]$`)

// PictureSources lists the URLs of the images worth keeping with the
// article: the lead image, then those of the body in reading order, each
// once, http(s) only and no known tracker.
func (a *Article) PictureSources() []string {
	var out []string
	seen := map[string]bool{}
	add := func(src string) {
		if seen[src] || !(strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://")) || picture.IsTracker(src) {
			return
		}
		seen[src] = true
		out = append(out, src)
	}
	add(a.Image)
	for _, n := range a.bodyImages() {
		add(a.linkURL(n))
	}
	return out
}

// bodyImages lists the link numbers of the body's image lines.
func (a *Article) bodyImages() []int {
	var out []int
	for line := range strings.Lines(a.Markdown) {
		if m := imageLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			n, _ := strconv.Atoi(m[1])
			out = append(out, n)
		}
	}
	return out
}

func (a *Article) linkURL(n int) string {
	for _, l := range a.Links {
		if l.N == n && l.Followable {
			return l.URL
		}
	}
	return ""
}

// SetPictures gives the article what is kept of its pictures (see
// news.Picture): those kept are drawn, each above its line. A tracking
// pixel, known for one only once its header was read, leaves the story:
// its line, and its link unless the text points there too (the other
// links keep their numbers). A picture refused for another reason keeps
// its "[image: alt] [n]" line, which says what is missing.
func (a *Article) SetPictures(pics []news.Picture) {
	a.Pictures = nil
	pixels := map[string]bool{}
	for _, p := range pics {
		switch p.Refused {
		case "":
			a.Pictures = append(a.Pictures, p)
		case news.RefusedTrackingPixel:
			pixels[p.Src] = true
		}
	}
	if len(pixels) == 0 {
		return
	}
	if pixels[a.Image] {
		a.Image = ""
	}
	var kept []string
	dropped := map[int]bool{}
	blankAfterDrop := false
	for line := range strings.Lines(a.Markdown) {
		if m := imageLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			if n, _ := strconv.Atoi(m[1]); pixels[a.linkURL(n)] {
				dropped[n] = true
				blankAfterDrop = true
				continue
			}
		}
		if blankAfterDrop && strings.TrimSpace(line) == "" {
			// The line stood as a paragraph of its own: its blank goes too.
			blankAfterDrop = false
			continue
		}
		blankAfterDrop = false
		kept = append(kept, line)
	}
	if len(dropped) == 0 {
		return
	}
	markdown := strings.Join(kept, "")
	if !strings.HasSuffix(a.Markdown, "\n") {
		markdown = strings.TrimRight(markdown, "\n")
	}
	a.Markdown = markdown
	a.Links = slices.DeleteFunc(slices.Clone(a.Links), func(l Link) bool {
		return dropped[l.N] && !strings.Contains(a.Markdown, marker(l.N))
	})
}

func (a *Article) picture(src string) *news.Picture {
	for i := range a.Pictures {
		if a.Pictures[i].Src == src {
			return &a.Pictures[i]
		}
	}
	return nil
}

// Pictures says how a rendering draws the article's pictures.
type Pictures struct {
	// Mode is how; "", ModeNone and ModeAuto (which the caller resolves)
	// leave the "[image: alt] [n]" lines alone.
	Mode picture.Mode
	// MaxRows bounds a picture's height in lines.
	MaxRows int
	// Cell is the terminal's cell size in pixels, if known.
	Cell picture.Cell
}

func (p Pictures) draws() bool {
	return p.Mode != "" && p.Mode != picture.ModeNone && p.Mode != picture.ModeAuto && p.MaxRows > 0
}

// Rendering is an article rendered for the terminal.
type Rendering struct {
	Text string
	// Mode is how the pictures are drawn.
	Mode picture.Mode
	// Pictures are the pictures drawn in Text, top to bottom.
	Pictures []Placed
}

// Placed is a picture's place in a Rendering: its first cell, by line of
// Text and column, and its drawing, whose Lines are in Text there.
type Placed struct {
	Line, Col int
	Drawing   *picture.Drawing
}

// pictureMark stands in the Markdown for a picture while glamour renders
// it: a word of its own paragraph, replaced by the picture's lines after.
const pictureMark = "BYLINEPICTURE"

// withPictureMarks returns the article with a mark before each image line
// that has a kept picture, and one for the lead image at the top when the
// body does not show it; the marks' pictures are listed by number.
func (a *Article) withPictureMarks() (*Article, []*news.Picture) {
	var marked []*news.Picture
	var b strings.Builder
	mark := func(p *news.Picture) {
		b.WriteString(pictureMark + strconv.Itoa(len(marked)) + "\n\n")
		marked = append(marked, p)
	}
	inBody := map[string]bool{}
	for _, n := range a.bodyImages() {
		inBody[a.linkURL(n)] = true
	}
	if lead := a.picture(a.Image); lead != nil && !inBody[a.Image] {
		mark(lead)
	}
	shown := map[string]bool{}
	for line := range strings.Lines(a.Markdown) {
		if m := imageLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			n, _ := strconv.Atoi(m[1])
			src := a.linkURL(n)
			if p := a.picture(src); p != nil && !shown[src] {
				shown[src] = true
				mark(p)
			}
		}
		b.WriteString(line)
	}
	if len(marked) == 0 {
		return a, nil
	}
	cp := *a
	cp.Markdown = b.String()
	return &cp, marked
}

// documentMargin is the left (and right) margin of glamour's styles, the
// room a picture is drawn for before the rendering says.
const documentMargin = 2

// drawPicture draws a kept picture cols wide at most.
func drawPicture(p *news.Picture, cols int, pics Pictures) (*picture.Drawing, error) {
	return picture.Draw(&picture.Picture{Width: p.Width, Height: p.Height, Format: p.Format, Data: p.Data, Small: p.Small},
		picture.Request{Mode: pics.Mode, Cols: cols, MaxRows: pics.MaxRows, Cell: pics.Cell, ID: KittyID(p)})
}

// drawnPicture is a drawing made ahead, for cols columns.
type drawnPicture struct {
	cols int
	d    *picture.Drawing
	err  error
}

// drawAhead draws the pictures, each on a goroutine of its own, while
// glamour renders the text: decoding a kept photo takes as long as
// rendering a story. wait returns them, in order.
func drawAhead(marked []*news.Picture, width int, pics Pictures) (wait func() []drawnPicture) {
	out := make([]drawnPicture, len(marked))
	var wg sync.WaitGroup
	for i, p := range marked {
		wg.Go(func() {
			cols := width - 2*documentMargin
			d, err := drawPicture(p, cols, pics)
			out[i] = drawnPicture{cols: cols, d: d, err: err}
		})
	}
	return func() []drawnPicture { wg.Wait(); return out }
}

// placePictures replaces each mark line of glamour's output with its
// picture, centred in the space between the margins.
func placePictures(out string, marked []*news.Picture, drawn []drawnPicture, width int, pics Pictures) Rendering {
	lines := strings.Split(out, "\n")
	r := Rendering{Mode: pics.Mode}
	kept := make([]string, 0, len(lines))
	for _, line := range lines {
		plain := ansi.Strip(line)
		word := strings.TrimSpace(plain)
		num, ok := strings.CutPrefix(word, pictureMark)
		i, err := strconv.Atoi(num)
		if !ok || err != nil || i < 0 || i >= len(marked) {
			kept = append(kept, line)
			continue
		}
		margin := len(plain) - len(strings.TrimLeft(plain, " "))
		avail := width - 2*margin
		d, err := drawn[i].d, drawn[i].err
		if drawn[i].cols != avail {
			d, err = drawPicture(marked[i], avail, pics)
		}
		if err != nil {
			// A kept picture that cannot be drawn leaves its caption line.
			continue
		}
		col := margin + (avail-d.Cols)/2
		r.Pictures = append(r.Pictures, Placed{Line: len(kept), Col: col, Drawing: d})
		pad := strings.Repeat(" ", col)
		for _, l := range d.Lines {
			kept = append(kept, pad+l)
		}
	}
	r.Text = strings.Join(kept, "\n")
	return r
}

// KittyID is the image ID a picture has in a kitty terminal, from its
// bytes: the same picture has the same ID wherever it is shown, so a new
// drawing of it replaces the old one there.
func KittyID(p *news.Picture) uint32 {
	h := fnv.New32a()
	_, _ = h.Write(p.Data)
	return max(1, h.Sum32()&0xffffff)
}

// Stream is the rendering as one stream for a terminal that shows it as
// it comes, as `byline read --format ansi` prints it: kitty uploads first,
// then the text; a sixel or iTerm2 picture is sent where its first line
// would be, in place of its blank lines, and the terminal moves the
// cursor past it.
func (r Rendering) Stream() string {
	var b strings.Builder
	at := map[int]Placed{}
	for _, p := range r.Pictures {
		if p.Drawing.Seq == "" {
			continue
		}
		if r.Mode.Overlaid() {
			at[p.Line] = p
		} else {
			b.WriteString(p.Drawing.Seq)
		}
	}
	lines := strings.Split(r.Text, "\n")
	for i := 0; i < len(lines); i++ {
		if p, ok := at[i]; ok {
			b.WriteString(strings.Repeat(" ", p.Col))
			b.WriteString(p.Drawing.Seq)
			b.WriteByte('\n')
			i += p.Drawing.Rows - 1
			continue
		}
		b.WriteString(lines[i])
		if i < len(lines)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
