package cache

import (
	"context"
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

// storedText scans a column written by packText into s.
type storedText struct{ s *string }

func (t storedText) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t.s = ""
	case string:
		*t.s = v
	case []byte:
		out, err := textDecoder().DecodeAll(v, nil)
		if err != nil {
			return fmt.Errorf("stored text is damaged: %w", err)
		}
		*t.s = string(out)
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
		if err := rows.Scan(storedText{&summary}, storedText{&content}); err != nil {
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
