package cache

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Article text (summaries and contents, mostly HTML) is most of a cache's
// size. Long text is stored zstd-compressed as a BLOB and short text as
// TEXT; the value's type says which, so rows written before compression
// read as they always did, and nothing else about the schema changes.

// compressMin is the length below which compressing saves too little to
// be worth the work: a summary of a sentence or two.
const compressMin = 256

// maxStoredText bounds what one stored value may inflate to. The fetcher
// limits a whole feed to far less; a damaged value must not be able to
// take the memory of a process that only lists articles.
const maxStoredText = 64 << 20

var (
	textEncoder = sync.OnceValue(func() *zstd.Encoder {
		// SpeedFastest: the refresh stores thousands of articles, and the
		// better levels cost several times as much for a few percent.
		// Alone it stores a text raw when it finds no repeats in it (a
		// third of the bench's 250-word articles); entropy-coding the
		// letters still shrinks those 1.6 times, at a third of its speed.
		// A refresh compresses on as many goroutines as there are
		// processors (see Prepare); with one encoder they took turns.
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithAllLitEntropyCompression(true),
			zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)), zstd.WithLowerEncoderMem(true))
		if err != nil {
			panic(err) // only for invalid options, which are constants here
		}
		return enc
	})
	textDecoder = sync.OnceValue(func() *zstd.Decoder {
		dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderMaxMemory(maxStoredText), zstd.WithDecoderLowmem(true))
		if err != nil {
			panic(err) // only for invalid options, which are constants here
		}
		return dec
	})
)

// packText is the value that stores s: s itself when it is short or does
// not compress, else its compressed bytes.
func packText(s string) any {
	if len(s) < compressMin {
		return s
	}
	packed := textEncoder().EncodeAll([]byte(s), make([]byte, 0, len(s)/2))
	if len(packed) >= len(s) {
		return s
	}
	return packed
}

// An article's summary is mostly its content's first lines again, so the
// two are compressed as one value when both are there (packTexts): zstd
// then stores the repeat for next to nothing, where the summary alone,
// too short to have repeats of its own, stayed near its full size; and a
// row of one value fills the pages better. Measured on the bench's
// articles, the text took a fifth less room. The summary column then holds
// a zero-length BLOB, and the content column the compressed pair: the
// pairMagic bytes, the summary's length as a uvarint, the summary, the
// content. Text from a feed has passed the sanitizer, which drops both
// magic bytes, so no text of one column starts with them.
const pairMagic = "\x00\x01"

// packTexts is the summary and content columns that store summary and
// content.
func packTexts(summary, content string) (storedSummary, storedContent any) {
	if summary == "" || content == "" || len(summary)+len(content) < compressMin {
		return packText(summary), packText(content)
	}
	pair := make([]byte, 0, len(pairMagic)+binary.MaxVarintLen64+len(summary)+len(content))
	pair = append(pair, pairMagic...)
	pair = binary.AppendUvarint(pair, uint64(len(summary)))
	pair = append(pair, summary...)
	pair = append(pair, content...)
	packed := textEncoder().EncodeAll(pair, make([]byte, 0, len(pair)/2))
	if len(packed) >= len(summary)+len(content) {
		return summary, content
	}
	return []byte{}, packed
}

// storedText scans a column written by packText or packTexts into s. For
// a content column, summary is where a summary packed with the content
// goes; its column must come before the content's in the row, as the
// summary column of a pair is empty.
type storedText struct{ s, summary *string }

func (t storedText) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t.s = ""
	case string:
		*t.s = v
	case []byte:
		if len(v) == 0 {
			*t.s = "" // the summary of a pair, filled in with the content
			return nil
		}
		out, err := textDecoder().DecodeAll(v, nil)
		if err != nil {
			return fmt.Errorf("stored text is damaged: %w", err)
		}
		if !bytes.HasPrefix(out, []byte(pairMagic)) {
			*t.s = string(out)
			return nil
		}
		n, size := binary.Uvarint(out[len(pairMagic):])
		rest := out[len(pairMagic)+max(size, 0):]
		if size <= 0 || n > uint64(len(rest)) || t.summary == nil {
			return errors.New("stored text is damaged: a summary and content that do not split")
		}
		*t.summary, *t.s = string(rest[:n]), string(rest[n:])
	default:
		return fmt.Errorf("stored text: unexpected %T", src)
	}
	return nil
}

// TextBytes is the size of the text the cache holds as it came from the
// feeds, uncompressed: titles, authors, URLs, GUIDs, summaries and
// contents. The size of the file is measured against it.
func (s *Store) TextBytes(ctx context.Context) (_ int64, err error) {
	defer s.explain(&err)
	var total int64
	err = s.db.QueryRowContext(ctx, `SELECT coalesce(sum(length(CAST(title AS BLOB)) + length(CAST(author AS BLOB))
		+ length(CAST(url AS BLOB)) + length(CAST(guid AS BLOB))), 0) FROM articles`).Scan(&total)
	if err != nil {
		return 0, fmt.Errorf("text size of %s: %w", s.path, err)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT summary, content FROM article_text")
	if err != nil {
		return 0, fmt.Errorf("text size of %s: %w", s.path, err)
	}
	var summary, content string
	for rows.Next() {
		if err := rows.Scan(storedText{s: &summary}, storedText{s: &content, summary: &summary}); err != nil {
			rows.Close()
			return 0, fmt.Errorf("text size of %s: %w", s.path, err)
		}
		total += int64(len(summary) + len(content))
	}
	if err := closeRows(rows); err != nil {
		return 0, fmt.Errorf("text size of %s: %w", s.path, err)
	}
	return total, nil
}
