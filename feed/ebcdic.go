package feed

import (
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// codePage500 is EBCDIC 500 ("International"), which golang.org/x/text
// lacks. It is code page 037 with seven bytes in other places, so it is
// decoded by moving those bytes to where 037 has the same characters.
var codePage500 encoding.Encoding = cp500{}

// cp500To037 maps each byte of code page 500 to the code page 037 byte of
// the same character; the other 249 are the same in both.
var cp500To037 = func() (table [256]byte) {
	for i := range table {
		table[i] = byte(i)
	}
	for cp500, cp037 := range map[byte]byte{
		0x4a: 0xba, // [
		0x4f: 0x5a, // !
		0x5a: 0xbb, // ]
		0x5f: 0xb0, // ^
		0xb0: 0x4a, // ¢
		0xba: 0x5f, // ¬
		0xbb: 0x4f, // |
	} {
		table[cp500] = cp037
	}
	return table
}()

type cp500 struct{}

func (cp500) NewDecoder() *encoding.Decoder {
	return &encoding.Decoder{Transformer: transform.Chain(cp500Remap{}, charmap.CodePage037.NewDecoder())}
}

// NewEncoder is not needed: byline only reads feeds.
func (cp500) NewEncoder() *encoding.Encoder { return encoding.Nop.NewEncoder() }

// cp500Remap rewrites code page 500 bytes as code page 037 ones.
type cp500Remap struct{ transform.NopResetter }

func (cp500Remap) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	n := min(len(dst), len(src))
	for i, c := range src[:n] {
		dst[i] = cp500To037[c]
	}
	if n < len(src) {
		err = transform.ErrShortDst
	}
	return n, n, err
}
