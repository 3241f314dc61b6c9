package picture

import (
	"image"
	"strconv"
	"strings"
)

// Sixel colours come from a fixed cube of 6 reds × 7 greens × 6 blues
// (252 registers; terminals give 256): the index of a colour is arithmetic
// instead of a nearest-colour search over a palette, and Floyd–Steinberg
// dithering hides the steps. The eye tells greens apart best, so they get
// the seventh level.
const (
	sixelReds, sixelGreens, sixelBlues = 6, 7, 6
	sixelColours                       = sixelReds * sixelGreens * sixelBlues
)

// level is channel value v (0…255) on a scale of n levels, and back.
func level(v, n int) int      { return (v*(n-1) + 127) / 255 }
func levelValue(l, n int) int { return l * 255 / (n - 1) }

func sixelIndex(r, g, b int) int {
	return (level(r, sixelReds)*sixelGreens+level(g, sixelGreens))*sixelBlues + level(b, sixelBlues)
}

func sixelRGB(i int) (r, g, b int) {
	b, i = levelValue(i%sixelBlues, sixelBlues), i/sixelBlues
	g, i = levelValue(i%sixelGreens, sixelGreens), i/sixelGreens
	return levelValue(i, sixelReds), g, b
}

// sixel encodes img as one DCS sixel sequence: raster attributes for
// square pixels at img's size, the colour registers it uses, then bands
// of six rows, each colour's dots of a band on one pass with runs
// compressed. Pixels more than half transparent are left undrawn (P2=1).
func sixel(img *image.RGBA) string {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	idx := dither(img)
	var used [sixelColours]bool
	for _, c := range idx {
		if c >= 0 {
			used[c] = true
		}
	}
	var b strings.Builder
	b.WriteString("\x1bP0;1q\"1;1;" + strconv.Itoa(w) + ";" + strconv.Itoa(h))
	for c, ok := range used {
		if !ok {
			continue
		}
		r, g, bl := sixelRGB(c)
		b.WriteString("#" + strconv.Itoa(c) + ";2;" + percent(r) + ";" + percent(g) + ";" + percent(bl))
	}
	bits := make([]byte, sixelColours*w) // a band's dots, per colour and column
	var (
		inBand []int
		seen   [sixelColours]bool
	)
	for y0 := 0; y0 < h; y0 += 6 {
		inBand = inBand[:0]
		for k := 0; k < 6 && y0+k < h; k++ {
			for x, c := range idx[(y0+k)*w : (y0+k+1)*w] {
				if c < 0 {
					continue
				}
				if !seen[c] {
					seen[c] = true
					inBand = append(inBand, int(c))
				}
				bits[int(c)*w+x] |= 1 << k
			}
		}
		// In order of first appearance, which is deterministic.
		for i, c := range inBand {
			seen[c] = false
			if i > 0 {
				b.WriteByte('$') // back to the band's start for the next colour
			}
			b.WriteString("#" + strconv.Itoa(c))
			writeSixelRow(&b, bits[c*w:(c+1)*w])
			clear(bits[c*w : (c+1)*w])
		}
		if y0+6 < h {
			b.WriteByte('-')
		}
	}
	b.WriteString("\x1b\\")
	return b.String()
}

// writeSixelRow writes one colour's dots across a band, runs of four or
// more as "!n" repeats, and leaves out the empty columns at the end.
func writeSixelRow(b *strings.Builder, row []byte) {
	end := len(row)
	for end > 0 && row[end-1] == 0 {
		end--
	}
	for x := 0; x < end; {
		run := 1
		for x+run < end && row[x+run] == row[x] {
			run++
		}
		ch := byte('?' + row[x])
		if run >= 4 {
			b.WriteString("!" + strconv.Itoa(run))
			b.WriteByte(ch)
		} else {
			for range run {
				b.WriteByte(ch)
			}
		}
		x += run
	}
}

func percent(v int) string { return strconv.Itoa((v*100 + 127) / 255) }

// dither maps every pixel to a colour of the cube, spreading each pixel's
// error over its neighbours (Floyd–Steinberg); -1 marks a transparent one.
func dither(img *image.RGBA) []int16 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := make([]int16, w*h)
	// Errors carried to this row and the next, in 1/16ths, per channel.
	cur, next := make([]int32, 3*(w+2)), make([]int32, 3*(w+2))
	for y := range h {
		for x := range w {
			i := img.PixOffset(x, y)
			p := img.Pix[i : i+4]
			if p[3] < 128 {
				out[y*w+x] = -1
				continue
			}
			var want [3]int
			for ch := range 3 {
				v := int(p[ch])
				if a := int(p[3]); a < 255 {
					v = v * 255 / a
				}
				want[ch] = min(255, max(0, v+int(cur[3*(x+1)+ch]+8)>>4))
			}
			c := sixelIndex(want[0], want[1], want[2])
			out[y*w+x] = int16(c)
			r, g, b := sixelRGB(c)
			for ch, got := range [3]int{r, g, b} {
				e := int32(want[ch] - got)
				cur[3*(x+2)+ch] += e * 7
				next[3*x+ch] += e * 3
				next[3*(x+1)+ch] += e * 5
				next[3*(x+2)+ch] += e
			}
		}
		cur, next = next, cur
		clear(next)
	}
	return out
}
