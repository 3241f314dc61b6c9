package cache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/sanitize"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// ErrEmptyQuery is returned by Search for a query with no words in it.
var ErrEmptyQuery = errors.New("search query has no words")

// ftsIndex is a full-text index and how it ranks a match: bm25, which is
// negative, smaller being better.
type ftsIndex struct{ table, rank string }

var (
	// articleIndex ranks a title match highest, then author and summary,
	// then the body.
	articleIndex = ftsIndex{"articles_fts", "bm25(articles_fts, 10.0, 3.0, 2.0, 1.0, 1.0)"}
	titleIndex   = ftsIndex{"titles_fts", "bm25(titles_fts)"}
)

// searchWindow is how many of the newest articles Search ranks before
// looking further back. Ranking costs a few microseconds per matching
// article, so a word found in nearly every article would take a tenth of a
// second on a 100,000-article cache; such a word also tells bm25 almost
// nothing, and in a news reader the recent match is the better answer.
const searchWindow = 10_000

// Search finds up to limit articles matching every word of query, best
// match first. The query is plain words: FTS5 operators and punctuation in
// it are searched for as text, never interpreted. The newest searchWindow
// articles are ranked first, and older ones only if those hold fewer than
// limit matches. Articles of unsubscribed feeds are found only if starred,
// as in Articles. A limit of 0 or less ranks every match.
//
// Articles not indexed yet (see IndexPending) are indexed first, so a
// search never misses one; the first search after a large refresh pays
// for that, about 0.2 ms an article.
func (s *Store) Search(ctx context.Context, query string, limit int) (_ []news.Hit, err error) {
	defer s.explain(&err)
	words := queryWords(query)
	if len(words) == 0 {
		return nil, fmt.Errorf("search %q: %w", query, ErrEmptyQuery)
	}
	if err := s.indexAll(ctx); err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	hits, err := s.rank(ctx, articleIndex, matchExpression(words), limit)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	for i := range hits {
		hits[i].Snippet = snippet(hits[i].Article, words)
	}
	return hits, nil
}

// SearchCount returns how many articles Search would find for query with
// no limit, so that a capped list can say "200 of 6,092".
func (s *Store) SearchCount(ctx context.Context, query string) (_ int, err error) {
	defer s.explain(&err)
	words := queryWords(query)
	if len(words) == 0 {
		return 0, fmt.Errorf("search %q: %w", query, ErrEmptyQuery)
	}
	if err := s.indexAll(ctx); err != nil {
		return 0, fmt.Errorf("search %q: %w", query, err)
	}
	var n int
	err = s.db.QueryRowContext(ctx, "SELECT count(*) FROM "+articleIndex.table+" m"+
		" JOIN articles a ON a.id = m.rowid JOIN feeds f ON f.id = a.feed_id"+
		" WHERE "+articleIndex.table+" MATCH ? AND (f.subscribed = 1 OR a.starred = 1)", matchExpression(words)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("search %q: %w", query, err)
	}
	return n, nil
}

// rank returns up to limit articles matching match in ix, best first,
// among those the lists show: from the newest searchWindow articles, or
// from all if those hold fewer than limit matches. A limit of 0 or less
// ranks every match.
func (s *Store) rank(ctx context.Context, ix ftsIndex, match string, limit int) ([]news.Hit, error) {
	var hidden, newest int64
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT coalesce(sum(total_count), 0) FROM feeds WHERE subscribed = 0),
		(SELECT coalesce(max(id), 0) FROM articles)`).Scan(&hidden, &newest)
	if err != nil {
		return nil, err
	}
	var hits []news.Hit
	if limit > 0 && newest > s.searchWindow {
		hits, err = s.rankAfter(ctx, ix, match, newest-s.searchWindow, limit, hidden)
	}
	if err == nil && (limit <= 0 || len(hits) < limit) {
		hits, err = s.rankAfter(ctx, ix, match, 0, limit, hidden)
	}
	return hits, err
}

// rankAfter ranks the matches among articles with ids above afterID.
// FTS5 ranks alone, which is several times faster than ranking a join;
// hidden (an upper bound on the articles of unsubscribed feeds) more are
// fetched so that dropping those still leaves limit hits.
func (s *Store) rankAfter(ctx context.Context, ix ftsIndex, match string, afterID int64, limit int, hidden int64) ([]news.Hit, error) {
	inner, outer := int64(-1), -1
	if limit > 0 {
		inner, outer = int64(limit)+hidden, limit
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+articleColumns+", m.score"+
		" FROM (SELECT rowid, "+ix.rank+" AS score FROM "+ix.table+
		"       WHERE "+ix.table+" MATCH ? AND rowid > ? ORDER BY score LIMIT ?) m"+
		" JOIN articles a ON a.id = m.rowid JOIN feeds f ON f.id = a.feed_id JOIN article_text t ON t.id = a.id"+
		" WHERE f.subscribed = 1 OR a.starred = 1"+
		" ORDER BY m.score LIMIT ?", match, afterID, inner, outer)
	if err != nil {
		return nil, err
	}
	var hits []news.Hit
	for rows.Next() {
		var h news.Hit
		var bm25 float64
		if h.Article, err = scanArticle(rows, &bm25); err != nil {
			rows.Close()
			return nil, err
		}
		h.Rank = -bm25
		hits = append(hits, h)
	}
	return hits, closeRows(rows)
}

// queryWords splits a query into words: runs of letters, digits and marks.
// Everything else, FTS5 syntax included, only separates words. The index
// tokenizer also splits at marks; such a word is then matched as a phrase.
func queryWords(query string) []string {
	return strings.FieldsFunc(query, func(r rune) bool { return !isWordRune(r) })
}

// matchExpression quotes each word, so FTS5 sees only string literals
// joined by implicit AND. Words cannot contain '"', but quoting is what
// makes "AND", "OR", "NOT" and "NEAR" plain words.
func matchExpression(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + w + `"`
	}
	return strings.Join(quoted, " ")
}

// isWordRune reports whether r belongs to a word: FTS5's unicode61 token
// characters (letters, numbers, private use) plus combining marks, which
// belong to the letters around them.
func isWordRune(r rune) bool {
	return unicode.In(r, unicode.L, unicode.N, unicode.Co, unicode.M)
}

// snippetBytes is about how much text a snippet shows.
const snippetBytes = 200

// snippet is plain text from the article around the first query word it
// contains, preferring the summary; without one it is the summary's start.
// It is sanitized again: the stored HTML was clean, but decoding its
// character references ("&#27;") can make control characters of it.
func snippet(a news.Article, words []string) string {
	return sanitize.Line(rawSnippet(a, words))
}

func rawSnippet(a news.Article, words []string) string {
	folded := make([]string, len(words))
	for i, w := range words {
		folded[i] = foldWord(w)
	}
	summary := plainText(a.Summary)
	for _, text := range []string{summary, plainText(a.Content)} {
		if at := findWord(text, folded); at >= 0 {
			return excerpt(text, at)
		}
	}
	if summary == "" {
		summary = plainText(a.Content)
	}
	return excerpt(summary, 0)
}

// findWord returns the byte offset of the first word in text that folds to
// one of folded, or -1.
func findWord(text string, folded []string) int {
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		end := i + n
		for end < len(text) {
			r, n := utf8.DecodeRuneInString(text[end:])
			if !isWordRune(r) {
				break
			}
			end += n
		}
		if matchesWord(text[i:end], folded) {
			return i
		}
		i = end
	}
	return -1
}

func matchesWord(word string, folded []string) bool {
	ascii := isASCII(word)
	if !ascii {
		word = foldWord(word)
	}
	for _, f := range folded {
		// An ASCII word needs no folding beyond case.
		if ascii && strings.EqualFold(word, f) || !ascii && word == f {
			return true
		}
	}
	return false
}

// foldWord folds case and removes diacritics, as the index does.
func foldWord(w string) string {
	if isASCII(w) {
		return strings.ToLower(w)
	}
	folded, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), w)
	if err != nil {
		return strings.ToLower(w)
	}
	return strings.ToLower(folded)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// excerpt cuts about snippetBytes of text around byte offset at, on word
// boundaries, marking cuts with an ellipsis.
func excerpt(text string, at int) string {
	start := max(0, at-snippetBytes/3)
	if start > 0 {
		if sp := strings.IndexByte(text[start:at], ' '); sp >= 0 {
			start += sp + 1
		} else {
			start = at
		}
	}
	end := min(len(text), start+snippetBytes)
	if end < len(text) {
		if sp := strings.LastIndexByte(text[start:end], ' '); sp > 0 {
			end = start + sp
		} else {
			end = start + len(truncateUTF8(text[start:], snippetBytes))
		}
	}
	out := text[start:end]
	if start > 0 {
		out = "…" + out
	}
	if end < len(text) {
		out += "…"
	}
	return out
}
