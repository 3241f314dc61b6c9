package picture

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/kitty"
)

// photo is a w×h test picture with smooth gradients and a disc, so that
// shrinking and dithering have something to get wrong.
func photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(255 * x / w), uint8(255 * y / h), 160, 255}
			dx, dy := x-w/2, y-h/2
			if dx*dx+dy*dy < (h/4)*(h/4) {
				c = color.RGBA{250, 220, 40, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPrepareReadsEachFormat(t *testing.T) {
	webp, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	// An animated GIF whose first frame is red and second blue.
	var anim bytes.Buffer
	pal := color.Palette{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}}
	red, blue := image.NewPaletted(image.Rect(0, 0, 30, 20), pal), image.NewPaletted(image.Rect(0, 0, 30, 20), pal)
	for i := range blue.Pix {
		blue.Pix[i] = 1
	}
	if err := gif.EncodeAll(&anim, &gif.GIF{Image: []*image.Paletted{red, blue}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	translucent := photo(40, 30)
	translucent.Pix[3] = 0

	for _, tc := range []struct {
		name       string
		data       []byte
		w, h       int
		format     string
		firstPixel color.RGBA
	}{
		{"png", encodePNG(t, photo(80, 60)), 80, 60, "jpeg", color.RGBA{}},
		{"jpeg", encodeJPEG(t, photo(2400, 1800)), 1200, 900, "jpeg", color.RGBA{}},
		{"tall jpeg", encodeJPEG(t, photo(600, 3000)), 240, 1200, "jpeg", color.RGBA{}},
		{"gif first frame", anim.Bytes(), 30, 20, "jpeg", color.RGBA{255, 0, 0, 255}},
		{"webp", webp, 150, 100, "jpeg", color.RGBA{}},
		{"transparency kept as png", encodePNG(t, translucent), 40, 30, "png", color.RGBA{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Prepare(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if p.Width != tc.w || p.Height != tc.h || p.Format != tc.format {
				t.Fatalf("kept %d×%d %s, want %d×%d %s", p.Width, p.Height, p.Format, tc.w, tc.h, tc.format)
			}
			img, err := p.Image()
			if err != nil {
				t.Fatal(err)
			}
			if img.Bounds().Dx() != tc.w || img.Bounds().Dy() != tc.h {
				t.Fatalf("kept data is %v", img.Bounds())
			}
			// A small copy beside a large picture, for drawing small.
			if sw, sh := fitWithin(tc.w, tc.h, smallSide, smallSide); sw < tc.w {
				small, err := p.imageFor(sw, sh)
				if err != nil || small.Bounds().Dx() != sw || small.Bounds().Dy() != sh {
					t.Fatalf("small copy: %v, %v; want %d×%d", small, err, sw, sh)
				}
				if full, _ := p.imageFor(sw+1, sh); full.Bounds().Dx() != tc.w {
					t.Fatal("more pixels than the small copy has came from it")
				}
			} else if p.Small != nil {
				t.Fatal("a small copy of a small picture")
			}
			if tc.firstPixel != (color.RGBA{}) {
				r, g, b, _ := img.At(5, 5).RGBA()
				if r>>8 < 200 || g>>8 > 60 || b>>8 > 60 {
					t.Fatalf("first frame not kept: pixel is %d,%d,%d", r>>8, g>>8, b>>8)
				}
			}
		})
	}
}

// bombPNG is a valid PNG header claiming w×h pixels, with one pixel of
// data: what a decompression bomb looks like to DecodeConfig.
func bombPNG(t *testing.T, w, h uint32) []byte {
	data := encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	ihdr := data[8+8 : 8+8+13] // after the signature and the chunk's length and type
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	binary.BigEndian.PutUint32(data[8+8+13:], crc32.ChecksumIEEE(data[8+4:8+8+13]))
	return data
}

func TestPrepareRefusesBombsCheaply(t *testing.T) {
	var gifBomb bytes.Buffer
	if err := gif.Encode(&gifBomb, image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White}), nil); err != nil {
		t.Fatal(err)
	}
	g := gifBomb.Bytes()
	binary.LittleEndian.PutUint16(g[6:], 60000) // the logical screen
	binary.LittleEndian.PutUint16(g[8:], 60000)

	for name, data := range map[string][]byte{
		"png 60000×60000": bombPNG(t, 60000, 60000),
		"png 100000×10":   bombPNG(t, 100000, 10),
		"gif 60000×60000": g,
	} {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Prepare(data)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			if !strings.Contains(err.Error(), "pixels") {
				t.Fatalf("error %q does not say why", err)
			}
			// Refused from the header: nothing near the claimed size
			// (14 GB for 60000×60000 RGBA) was allocated.
			if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
				t.Fatalf("refusing allocated %d bytes", got)
			}
		})
	}
}

func TestPrepareRefusesTrackingPixelsAndJunk(t *testing.T) {
	var pixel bytes.Buffer
	if err := gif.Encode(&pixel, image.NewPaletted(image.Rect(0, 0, 1, 1), color.Palette{color.Transparent}), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Prepare(pixel.Bytes()); !errors.Is(err, ErrTrackingPixel) {
		t.Fatalf("1×1 GIF: err = %v, want ErrTrackingPixel", err)
	}
	for name, data := range map[string][]byte{
		"svg":       []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`),
		"truncated": encodePNG(t, photo(40, 30))[:100],
		"empty":     nil,
	} {
		if _, err := Prepare(data); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: err = %v, want ErrUnsupported", name, err)
		}
	}
	if _, err := Prepare(make([]byte, MaxBytes+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized: err = %v", err)
	}
}

func TestIsTracker(t *testing.T) {
	for u, want := range map[string]bool{
		"https://pixel.wp.com/g.gif?blog=1":                 true,
		"https://stats.wp.com/b.gif":                        true,
		"https://www.google-analytics.com/collect?v=1":      true,
		"https://feeds.feedburner.com/~r/Site/~4/abc":       true,
		"https://news.example/wp-content/uploads/photo.jpg": false,
		"https://cdn.example/img/pixel-art-header.png":      true, // "/pixel": a beacon's name, rarely a picture's
		"https://img.example/track/open.gif?u=1":            true,
		"https://i0.wp.com/news.example/photo.jpg":          false,
	} {
		if got := IsTracker(u); got != want {
			t.Errorf("IsTracker(%s) = %v, want %v", u, got, want)
		}
	}
}

func TestResizeAveragesWhatItCovers(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 4, 2))
	for x := range 4 {
		for y := range 2 {
			v := uint8(0)
			if x%2 == 1 {
				v = 200
			}
			src.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	got := resize(src, 2, 1)
	for x := range 2 {
		if c := got.RGBAAt(x, 0); c.R != 100 || c.A != 255 {
			t.Fatalf("pixel %d = %v, want the mean 100", x, c)
		}
	}
	big := resize(src, 8, 4)
	if c := big.RGBAAt(2, 3); c.R != 200 {
		t.Fatalf("enlarged pixel = %v, want its source's 200", c)
	}
	// A YCbCr source (a JPEG's) comes out the same colour.
	jp, err := jpeg.Decode(bytes.NewReader(encodeJPEG(t, photo(64, 48))))
	if err != nil {
		t.Fatal(err)
	}
	small := resize(jp, 16, 12)
	if c := small.RGBAAt(8, 6); c.R < 220 || c.G < 190 || c.B > 90 {
		t.Fatalf("the disc's centre came out %v", c)
	}
}

func TestCellBoxKeepsAspectWithinLimits(t *testing.T) {
	cell := Cell{Width: 10, Height: 20}
	for _, tc := range []struct {
		w, h, cols, rows int
		wantC, wantR     int
	}{
		{1200, 600, 100, 40, 100, 25}, // 1000×500 px: 25 rows of 20 px
		{1200, 900, 100, 13, 35, 13},  // a third of a 40-line screen
		{80, 60, 100, 40, 8, 3},       // never wider than its own pixels
		{1000, 10, 50, 40, 50, 1},     // at least a row
	} {
		c, r := cellBox(tc.w, tc.h, tc.cols, tc.rows, cell)
		if c != tc.wantC || r != tc.wantR {
			t.Errorf("cellBox(%d×%d in %d×%d) = %d×%d, want %d×%d", tc.w, tc.h, tc.cols, tc.rows, c, r, tc.wantC, tc.wantR)
		}
	}
}

func testPicture(t *testing.T) *Picture {
	p, err := Prepare(encodePNG(t, photo(120, 90)))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHalfBlocksAreColouredCells(t *testing.T) {
	d, err := Draw(testPicture(t), Request{Mode: ModeHalfBlocks, Cols: 40, MaxRows: 12})
	if err != nil {
		t.Fatal(err)
	}
	if d.Cols != 32 || d.Rows != 12 || len(d.Lines) != 12 || d.Seq != "" {
		t.Fatalf("drawing %d×%d, %d lines, seq %q", d.Cols, d.Rows, len(d.Lines), d.Seq)
	}
	for i, l := range d.Lines {
		if w := ansi.StringWidth(l); w != d.Cols {
			t.Fatalf("line %d is %d cells wide, want %d", i, w, d.Cols)
		}
		if strings.Trim(ansi.Strip(l), "▀") != "" || !strings.HasSuffix(l, "\x1b[m") {
			t.Fatalf("line %d = %q", i, l)
		}
	}
	// The disc's yellow sits in the middle, the gradient's blue-ish corner at the top left.
	mid := d.Lines[6]
	if !strings.Contains(mid, "38;2;250;220;40") {
		t.Fatalf("middle line has no yellow: %q", mid)
	}
	if !strings.HasPrefix(d.Lines[0], "\x1b[38;2;") {
		t.Fatalf("first line starts %q", d.Lines[0][:20])
	}
}

func TestKittyUploadAndPlaceholders(t *testing.T) {
	p := testPicture(t)
	d, err := Draw(p, Request{Mode: ModeKitty, Cols: 40, MaxRows: 12, ID: 0x0a0b0c})
	if err != nil {
		t.Fatal(err)
	}
	if d.Cols != 12 || d.Rows != 5 {
		t.Fatalf("box %d×%d, want 12×5 (120 px at 10 px a cell, aspect kept)", d.Cols, d.Rows)
	}
	// The upload: APC G chunks, the first with the keys, m=1 until the last.
	chunks := strings.Split(strings.TrimSuffix(d.Seq, "\x1b\\"), "\x1b\\")
	var payload strings.Builder
	for i, c := range chunks {
		keys, data, ok := strings.Cut(strings.TrimPrefix(c, "\x1b_G"), ";")
		if !ok || !strings.HasPrefix(c, "\x1b_G") {
			t.Fatalf("chunk %d = %.40q", i, c)
		}
		if i == 0 && !strings.HasPrefix(keys, "f=100,q=2,i=658188,U=1,C=1,c=12,r=5,a=T") {
			t.Fatalf("first chunk keys %q", keys)
		}
		if len(data) > 4096 {
			t.Fatalf("chunk %d has %d bytes", i, len(data))
		}
		payload.WriteString(data)
	}
	raw, err := base64.StdEncoding.DecodeString(payload.String())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 120 || img.Bounds().Dy() != 90 {
		t.Fatalf("uploaded %v, want the picture's own 120×90 (smaller than 12×5 cells)", img.Bounds())
	}
	for row, l := range d.Lines {
		if !strings.HasPrefix(l, "\x1b[38;2;10;11;12m") || !strings.HasSuffix(l, "\x1b[39m") {
			t.Fatalf("row %d does not carry the ID in its colour: %q", row, l)
		}
		cells := []rune(ansi.Strip(l))
		if len(cells) != 3*d.Cols {
			t.Fatalf("row %d has %d runes", row, len(cells))
		}
		for col := range d.Cols {
			if cells[3*col] != kitty.Placeholder || cells[3*col+1] != kitty.Diacritic(row) || cells[3*col+2] != kitty.Diacritic(col) {
				t.Fatalf("cell %d,%d = %q", row, col, string(cells[3*col:3*col+3]))
			}
		}
		if w := ansi.StringWidth(l); w != d.Cols {
			t.Fatalf("row %d is %d cells wide", row, w)
		}
	}
	if got := DeleteKitty(658188); got != "\x1b_Ga=d,d=I,i=658188,q=2\x1b\\" {
		t.Fatalf("delete = %q", got)
	}
	if _, err := Draw(p, Request{Mode: ModeKitty, Cols: 4, MaxRows: 4}); err == nil {
		t.Fatal("kitty drawing without an ID")
	}
}

func TestITermSendsTheKeptFile(t *testing.T) {
	p := testPicture(t)
	d, err := Draw(p, Request{Mode: ModeITerm, Cols: 40, MaxRows: 12, Cell: Cell{Width: 8, Height: 16}})
	if err != nil {
		t.Fatal(err)
	}
	prefix := "\x1b]1337;File=size=" + strconv.Itoa(len(p.Data)) + ";width=15;height=6;inline=1:"
	if !strings.HasPrefix(d.Seq, prefix) || !strings.HasSuffix(d.Seq, "\a") {
		t.Fatalf("seq starts %.80q", d.Seq)
	}
	data, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(strings.TrimPrefix(d.Seq, prefix), "\a"))
	if err != nil || !bytes.Equal(data, p.Data) {
		t.Fatalf("payload is not the kept file (%v)", err)
	}
	if len(d.Lines) != 6 || d.Lines[0] != strings.Repeat(" ", 15) {
		t.Fatalf("lines %q", d.Lines)
	}
}

// decodeSixel reads back what sixel wrote: the size from the raster
// attributes and, per pixel, the register that set it (-1 for none). It
// knows only what the encoder writes.
func decodeSixel(t *testing.T, seq string) (w, h int, regs []int) {
	t.Helper()
	body, ok := strings.CutPrefix(seq, "\x1bP0;1q\"1;1;")
	if !ok || !strings.HasSuffix(body, "\x1b\\") {
		t.Fatalf("sequence starts %.20q", seq)
	}
	body = strings.TrimSuffix(body, "\x1b\\")
	i := 0
	num := func() int {
		n := 0
		for i < len(body) && body[i] >= '0' && body[i] <= '9' {
			n = n*10 + int(body[i]-'0')
			i++
		}
		return n
	}
	w = num()
	i++ // ;
	h = num()
	regs = make([]int, w*h)
	for k := range regs {
		regs[k] = -1
	}
	x, band, reg := 0, 0, 0
	for i < len(body) {
		switch c := body[i]; {
		case c == '#':
			i++
			reg = num()
			if i < len(body) && body[i] == ';' { // a colour definition
				for range 4 {
					i++
					num()
				}
			}
		case c == '$':
			x = 0
			i++
		case c == '-':
			x, band = 0, band+1
			i++
		case c == '!':
			i++
			n := num()
			for range n {
				setSixel(regs, w, h, x, band, reg, body[i])
				x++
			}
			i++
		case c >= '?' && c <= '~':
			setSixel(regs, w, h, x, band, reg, c)
			x++
			i++
		default:
			t.Fatalf("unexpected byte %q at %d", c, i)
		}
	}
	return w, h, regs
}

func setSixel(regs []int, w, h, x, band, reg int, c byte) {
	bits := c - '?'
	for k := range 6 {
		if y := band*6 + k; bits&(1<<k) != 0 && y < h && x < w {
			regs[y*w+x] = reg
		}
	}
}

func TestSixelRoundTrips(t *testing.T) {
	img := resize(photo(120, 90), 53, 31) // neither side a multiple of six
	img.Pix[3] = 0                        // one transparent pixel, top left
	w, h, regs := decodeSixel(t, sixel(img))
	if w != 53 || h != 31 {
		t.Fatalf("raster %d×%d", w, h)
	}
	want := dither(img)
	for i := range regs {
		if regs[i] != int(want[i]) {
			t.Fatalf("pixel %d,%d: register %d, want %d", i%w, i/w, regs[i], want[i])
		}
	}
	if regs[0] != -1 {
		t.Fatal("the transparent pixel was drawn")
	}
	// Dithering keeps the mean colour: the disc's yellow, on average.
	var r, g, b, n int
	for y := 12; y < 19; y++ {
		for x := 23; x < 30; x++ {
			cr, cg, cb := sixelRGB(regs[y*w+x])
			r, g, b, n = r+cr, g+cg, b+cb, n+1
		}
	}
	if r/n < 230 || g/n < 200 || g/n > 240 || b/n > 70 {
		t.Fatalf("disc mean %d,%d,%d, want about 250,220,40", r/n, g/n, b/n)
	}

	d, err := Draw(testPicture(t), Request{Mode: ModeSixel, Cols: 40, MaxRows: 12})
	if err != nil {
		t.Fatal(err)
	}
	if dw, dh, _ := decodeSixel(t, d.Seq); d.Cols != 12 || d.Rows != 5 || dw != 120 || dh != 90 {
		t.Fatalf("sixel drawing %d×%d cells, %d×%d px", d.Cols, d.Rows, dw, dh)
	}
}

func TestDetect(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	for _, tc := range []struct {
		name string
		t    Terminal
		want Mode
	}{
		{"NO_COLOR wins", Terminal{Getenv: env("NO_COLOR", "1", "TERM", "xterm-kitty"), Kitty: true, TrueColor: true}, ModeNone},
		{"kitty answers", Terminal{Getenv: env("TERM", "xterm-256color"), Kitty: true, Sixel: true}, ModeKitty},
		{"kitty by TERM", Terminal{Getenv: env("TERM", "xterm-kitty")}, ModeKitty},
		{"ghostty", Terminal{Getenv: env("TERM_PROGRAM", "ghostty")}, ModeKitty},
		{"wezterm", Terminal{Getenv: env("TERM_PROGRAM", "WezTerm"), Kitty: true, Sixel: true}, ModeITerm},
		{"iterm2", Terminal{Getenv: env("LC_TERMINAL", "iTerm2")}, ModeITerm},
		{"konsole", Terminal{Getenv: env("KONSOLE_VERSION", "230804"), Kitty: true, Sixel: true}, ModeSixel},
		{"foot", Terminal{Getenv: env("TERM", "foot"), Sixel: true, TrueColor: true}, ModeSixel},
		{"tmux", Terminal{Getenv: env("TMUX", "/tmp/tmux-0/default,1,0", "TERM", "tmux-256color"), Sixel: true, TrueColor: true}, ModeHalfBlocks},
		{"tmux passing kitty through", Terminal{Getenv: env("TMUX", "/tmp/x"), Kitty: true}, ModeKitty},
		{"truecolor", Terminal{Getenv: env("COLORTERM", "truecolor"), TrueColor: true}, ModeHalfBlocks},
		{"nothing", Terminal{Getenv: env("TERM", "vt100")}, ModeNone},
		{"dumb", Terminal{Getenv: env("TERM", "dumb"), TrueColor: true}, ModeNone},
	} {
		if got := Detect(tc.t); got != tc.want {
			t.Errorf("%s: Detect = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestReplies(t *testing.T) {
	got, cell, done := Replies([]byte("\x1b_Gi=31;OK\x1b\\\x1b[6;18;9t\x1b[?62;4;22c"))
	if !got.Kitty || !got.Sixel || !done || cell != (Cell{Width: 9, Height: 18}) {
		t.Fatalf("Replies = %+v %+v %v", got, cell, done)
	}
	got, cell, done = Replies([]byte("\x1b[?1;2c"))
	if got.Kitty || got.Sixel || !done || cell != (Cell{}) {
		t.Fatalf("plain VT100 answer read as %+v %+v %v", got, cell, done)
	}
	if _, _, done := Replies([]byte("\x1b_Gi=31;OK\x1b\\")); done {
		t.Fatal("done before DA1")
	}
	if _, err := ParseMode("sixels"); err == nil {
		t.Fatal("ParseMode took a typo")
	}
}
