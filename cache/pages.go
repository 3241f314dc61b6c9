package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bylinehq/byline/news"
)

// maxIndexedPageBytes bounds how much of a page's text goes into the
// search index; the page itself is stored whole.
const maxIndexedPageBytes = 1 << 20

// SavePage stores an extracted web page by URL, replacing an older copy.
// data is the reader's extracted article, which the cache keeps as it is;
// text is its plain text, indexed (by IndexPending) into the full_text
// column of every article whose URL is pageURL, so that search finds it.
// Pages of links that are not articles are stored too; Purge removes them
// keep-days after they were fetched.
func (s *Store) SavePage(ctx context.Context, pageURL string, data []byte, text string) (err error) {
	defer s.explain(&err)
	if pageURL == "" {
		return errors.New("save page: empty URL")
	}
	if data == nil {
		data = []byte{} // the column is NOT NULL
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO pages (url, fetched, text, data) VALUES (?, ?, ?, ?)
			ON CONFLICT (url) DO UPDATE SET fetched = excluded.fetched, text = excluded.text, data = excluded.data`,
			pageURL, s.now().Unix(), text, data)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT OR IGNORE INTO index_pending (article_id) SELECT id FROM articles WHERE url = ?", pageURL)
		return err
	})
	if err != nil {
		return fmt.Errorf("save page %s: %w", pageURL, err)
	}
	return nil
}

// Page returns the data SavePage stored for pageURL and when it was
// fetched, or an error wrapping ErrNotFound.
func (s *Store) Page(ctx context.Context, pageURL string) (data []byte, fetched time.Time, err error) {
	defer s.explain(&err)
	var sec int64
	err = s.db.QueryRowContext(ctx, "SELECT data, fetched FROM pages WHERE url = ?", pageURL).Scan(&data, &sec)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, fmt.Errorf("page %s: %w", pageURL, ErrNotFound)
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("page %s: %w", pageURL, err)
	}
	return data, unixTime(sec), nil
}

// ArticleByURL returns the article whose link is url. If several feeds
// carry it, the newest of those shown in the lists wins (see Filter), else
// the newest.
func (s *Store) ArticleByURL(ctx context.Context, url string) (_ news.Article, err error) {
	defer s.explain(&err)
	if url == "" {
		return news.Article{}, fmt.Errorf("article with URL %q: %w", url, ErrNotFound)
	}
	a, err := scanArticle(s.db.QueryRowContext(ctx, "SELECT "+articleColumns+articleRowsFromSQL+
		" WHERE a.url = ? ORDER BY (f.subscribed = 1 OR a.starred = 1) DESC, a.published DESC, a.id DESC LIMIT 1", url))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Article{}, fmt.Errorf("article with URL %s: %w", url, ErrNotFound)
	}
	if err != nil {
		return news.Article{}, fmt.Errorf("article with URL %s: %w", url, err)
	}
	return a, nil
}

// feedTextPrefix starts the key of a feed text's pictures; no page URL
// starts so (pages are http and https), and the schema (10) knows it.
const feedTextPrefix = "feed-text:"

// FeedTextKey is what SavePictures and Pictures know the pictures of an
// article's own text by, for a story shown from its feed's text: they go
// with the article, as a page's go with the page.
func FeedTextKey(articleID int64) string {
	return feedTextPrefix + strconv.FormatInt(articleID, 10)
}

// SavePictures replaces the pictures kept for a story: a page by its URL,
// or an article's feed text by FeedTextKey. Nothing is kept for a story
// that is not kept itself: they would have nothing to go with.
func (s *Store) SavePictures(ctx context.Context, pageURL string, pictures []news.Picture) (err error) {
	defer s.explain(&err)
	err = s.write(ctx, func(tx *sql.Tx) error {
		query, arg := "SELECT EXISTS (SELECT 1 FROM pages WHERE url = ?)", any(pageURL)
		if id, ok := strings.CutPrefix(pageURL, feedTextPrefix); ok {
			query, arg = "SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?)", id
		}
		var kept bool
		if err := tx.QueryRowContext(ctx, query, arg).Scan(&kept); err != nil {
			return err
		}
		if !kept {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM pictures WHERE page_url = ?", pageURL); err != nil {
			return err
		}
		for _, p := range pictures {
			data := p.Data
			if data == nil {
				data = []byte{} // the column is NOT NULL; a refused picture has none
			}
			_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO pictures (page_url, src, width, height, format, data, small, refused)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, pageURL, p.Src, p.Width, p.Height, p.Format, data, p.Small, p.Refused)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save pictures of %s: %w", pageURL, err)
	}
	return nil
}

// Pictures returns the pictures kept for a story (see SavePictures), the
// refused ones' records among them; none if there are none.
func (s *Store) Pictures(ctx context.Context, pageURL string) (_ []news.Picture, err error) {
	defer s.explain(&err)
	rows, err := s.db.QueryContext(ctx, "SELECT src, width, height, format, data, small, refused FROM pictures WHERE page_url = ? ORDER BY rowid", pageURL)
	if err != nil {
		return nil, fmt.Errorf("pictures of %s: %w", pageURL, err)
	}
	defer rows.Close()
	var out []news.Picture
	for rows.Next() {
		var p news.Picture
		if err := rows.Scan(&p.Src, &p.Width, &p.Height, &p.Format, &p.Data, &p.Small, &p.Refused); err != nil {
			return nil, fmt.Errorf("pictures of %s: %w", pageURL, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pictures of %s: %w", pageURL, err)
	}
	return out, nil
}
