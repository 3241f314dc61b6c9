// Package picture turns the images of a story into something a terminal
// can show: it checks and decodes what a site sent (PNG, JPEG, GIF's first
// frame, WebP), shrinks it once for keeping, and draws a kept picture in
// one of four ways, chosen by Mode: colour half blocks (text), the kitty
// graphics protocol, sixel, or iTerm2's inline images.
//
// Everything here reads hostile bytes. The dimensions are read before any
// pixel is decoded, so a small file that claims to be 60,000 × 60,000
// pixels costs a header read, not gigabytes; the decoded image is reduced
// a band of rows at a time, so memory stays near the decoded size.
package picture

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"

	// The formats Prepare reads register themselves with image.Decode.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/webp"
)

var (
	// ErrTooLarge refuses an image whose header claims more pixels than
	// MaxPixels, or a side longer than MaxSide.
	ErrTooLarge = errors.New("image too large")
	// ErrTrackingPixel refuses an image of a pixel or two, which is there
	// to tell a server the page was read, not to be seen.
	ErrTrackingPixel = errors.New("tracking pixel")
	// ErrUnsupported is an image in a format byline cannot draw (SVG, AVIF,
	// a broken file).
	ErrUnsupported = errors.New("unsupported image")
)

// Limits on what a site may send. A photo from a phone is 12 to 50
// megapixels; decoding takes about 1.5 bytes a pixel for JPEG and 4 to 8
// for PNG, so 50 megapixels is 75 to 400 MB at worst before the picture is
// shrunk.
const (
	MaxPixels = 50_000_000
	MaxSide   = 16_384
	// MaxBytes is the most one image may weigh as downloaded.
	MaxBytes = 8 << 20
)

// keptSide bounds the longer side of a kept picture: 120 columns of a
// terminal with 10-pixel cells is 1,200 pixels, and sixel and kitty draw
// pixel for pixel. smallSide bounds the small copy kept beside it, which
// is what half blocks (a pixel per half cell) need: decoding it takes a
// sixth of the time, which is most of what opening a story with pictures
// costs.
const (
	keptSide  = 1200
	smallSide = 480
)

// Picture is an image as kept in the cache: shrunk to at most keptSide
// pixels a side and encoded as JPEG (opaque) or PNG (with transparency),
// with a copy at most smallSide pixels a side in the same format.
type Picture struct {
	Width, Height int
	// Format is "jpeg" or "png".
	Format string
	Data   []byte
	// Small is the small copy; nil when the picture is small already.
	Small []byte
}

// Prepare checks and decodes an image as downloaded and returns it shrunk
// for keeping. Its errors wrap ErrTooLarge, ErrTrackingPixel or
// ErrUnsupported.
func Prepare(data []byte) (*Picture, error) {
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes (at most %d)", ErrTooLarge, len(data), MaxBytes)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	w, h := fitWithin(img.Bounds().Dx(), img.Bounds().Dy(), keptSide, keptSide)
	kept := resize(img, w, h)
	p, err := encode(kept)
	if err != nil {
		return nil, err
	}
	if sw, sh := fitWithin(w, h, smallSide, smallSide); sw < w {
		small, err := encode(resize(kept, sw, sh))
		if err != nil {
			return nil, err
		}
		p.Small = small.Data
	}
	return p, nil
}

func checkSize(w, h int) error {
	switch {
	case w <= 0 || h <= 0:
		return fmt.Errorf("%w: %d×%d pixels", ErrUnsupported, w, h)
	case w <= 2 && h <= 2:
		return fmt.Errorf("%w: %d×%d pixels", ErrTrackingPixel, w, h)
	case w > MaxSide || h > MaxSide || w*h > MaxPixels:
		return fmt.Errorf("%w: %d×%d pixels (at most %d pixels, %d a side)", ErrTooLarge, w, h, MaxPixels, MaxSide)
	}
	return nil
}

// jpegQuality keeps a photo sharp at terminal sizes at about a tenth of
// the PNG's bytes.
const jpegQuality = 82

func encode(img *image.RGBA) (*Picture, error) {
	var buf bytes.Buffer
	p := &Picture{Width: img.Rect.Dx(), Height: img.Rect.Dy()}
	if img.Opaque() {
		p.Format = "jpeg"
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
			return nil, err
		}
	} else {
		p.Format = "png"
		if err := png.Encode(&buf, img); err != nil {
			return nil, err
		}
	}
	p.Data = buf.Bytes()
	return p, nil
}

// Image decodes a kept picture.
func (p *Picture) Image() (image.Image, error) { return p.decode(p.Data) }

// imageFor decodes the smallest copy that has w×h pixels, or the picture.
func (p *Picture) imageFor(w, h int) (image.Image, error) {
	if sw, sh := fitWithin(p.Width, p.Height, smallSide, smallSide); p.Small != nil && sw >= w && sh >= h {
		return p.decode(p.Small)
	}
	return p.decode(p.Data)
}

func (p *Picture) decode(data []byte) (image.Image, error) {
	var (
		img image.Image
		err error
	)
	switch p.Format {
	case "jpeg":
		img, err = jpeg.Decode(bytes.NewReader(data))
	case "png":
		img, err = png.Decode(bytes.NewReader(data))
	default:
		return nil, fmt.Errorf("%w: kept as %q", ErrUnsupported, p.Format)
	}
	if err != nil {
		return nil, fmt.Errorf("kept picture: %w", err)
	}
	return img, nil
}

// fitWithin scales w×h down, aspect kept, until it fits maxW×maxH; it
// never scales up, and never returns a side below 1.
func fitWithin(w, h, maxW, maxH int) (int, int) {
	if w <= maxW && h <= maxH {
		return w, h
	}
	if w*maxH > h*maxW { // wider than the box: the width decides
		return maxW, max(1, (h*maxW+w/2)/w)
	}
	return max(1, (w*maxH+h/2)/h), maxH
}
