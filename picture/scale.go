package picture

import (
	"image"
	"image/draw"
)

// resize returns src scaled to dw×dh. Each destination pixel is the mean
// of the source pixels it covers, which is what shrinking a photo needs
// (sampling a few of them, as bilinear filters do, turns fine detail into
// noise); enlarging repeats pixels. The source is read a band of rows at a
// time through a strip one band high, so a 4000×3000 JPEG costs its
// decoded planes and a few kilobytes, not a second full-size copy.
func resize(src image.Image, dw, dh int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	if sw == 0 || sh == 0 || dw == 0 || dh == 0 {
		return dst
	}
	x0s, x1s := make([]int, dw), make([]int, dw)
	for dx := range dw {
		x0s[dx], x1s[dx] = span(sw, dw, dx)
	}
	band := 1
	for dy := range dh {
		y0, y1 := span(sh, dh, dy)
		band = max(band, y1-y0)
	}
	strip := image.NewRGBA(image.Rect(0, 0, sw, band))
	for dy := range dh {
		y0, y1 := span(sh, dh, dy)
		rows := y1 - y0
		view := strip.SubImage(image.Rect(0, 0, sw, rows)).(*image.RGBA)
		draw.Draw(view, view.Rect, src, image.Pt(b.Min.X, b.Min.Y+y0), draw.Src)
		out := dst.Pix[dy*dst.Stride : dy*dst.Stride+4*dw]
		for dx := range dw {
			x0, x1 := x0s[dx], x1s[dx]
			var r, g, bl, a uint32
			for y := range rows {
				row := strip.Pix[y*strip.Stride+4*x0 : y*strip.Stride+4*x1]
				for i := 0; i < len(row); i += 4 {
					r += uint32(row[i])
					g += uint32(row[i+1])
					bl += uint32(row[i+2])
					a += uint32(row[i+3])
				}
			}
			n := uint32(rows * (x1 - x0))
			out[4*dx] = uint8((r + n/2) / n)
			out[4*dx+1] = uint8((g + n/2) / n)
			out[4*dx+2] = uint8((bl + n/2) / n)
			out[4*dx+3] = uint8((a + n/2) / n)
		}
	}
	return dst
}

// span is the range of source rows (or columns) that destination row d of
// dn covers, out of sn; it is never empty.
func span(sn, dn, d int) (int, int) {
	lo := d * sn / dn
	hi := max(lo+1, (d+1)*sn/dn)
	return lo, min(hi, sn)
}
