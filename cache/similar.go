package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bylinehq/byline/news"
)

// Similar's query is built from at most maxSimilarTerms words of the
// title; a headline rarely has more that matter. A word in more than
// commonTitleShare of the titles Similar ranks first (and in more than
// minCommonTitles) is dropped too: it says little about what a headline is
// about, and ranking its matches cost more than all the rest, 10 ms of
// the 12 a call took on 100,000 articles.
const (
	maxSimilarTerms  = 12
	commonTitleShare = 0.05
	minCommonTitles  = 20
)

// Similar returns up to limit other articles whose titles share
// significant words with the title of article id, best match first: the
// words of the title less stopwords, ASCII words of one or two letters and
// words common in recent titles are ORed and ranked by bm25 in the index
// of titles, among the newest searchWindow articles and then all, as
// Search does. Only articles shown in the lists are returned (see
// Filter), and only indexed ones (see IndexPending): unlike Search,
// Similar does not index what is pending first, as it runs on opening an
// article and must not wait for a large refresh's backlog. A title with
// no significant words has no similar articles.
func (s *Store) Similar(ctx context.Context, id int64, limit int) (_ []news.Article, err error) {
	defer s.explain(&err)
	var title string
	var newest int64
	err = s.db.QueryRowContext(ctx, "SELECT title, (SELECT max(id) FROM articles) FROM articles WHERE id = ?", id).Scan(&title, &newest)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("similar to article %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("similar to article %d: %w", id, err)
	}
	if limit <= 0 {
		return nil, nil
	}
	terms, err := s.uncommonInTitles(ctx, significantWords(plainText(title)), newest)
	if err != nil || len(terms) == 0 {
		return nil, err
	}
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i] = `"` + t + `"`
	}
	// One more is ranked, as the article itself is likely among them.
	hits, err := s.rank(ctx, titleIndex, strings.Join(quoted, " OR "), limit+1)
	if err != nil {
		return nil, fmt.Errorf("similar to article %d: %w", id, err)
	}
	articles := make([]news.Article, 0, min(limit, len(hits)))
	for _, h := range hits {
		if h.ID != id && len(articles) < limit {
			articles = append(articles, h.Article)
		}
	}
	return articles, nil
}

// uncommonInTitles returns the words that are not common in the titles of
// the newest searchWindow articles (newest is the newest id). Counting
// stops at the threshold, so a common word costs no more than a rare one.
func (s *Store) uncommonInTitles(ctx context.Context, words []string, newest int64) ([]string, error) {
	recent := min(newest, s.searchWindow)
	common := max(minCommonTitles, int(float64(recent)*commonTitleShare))
	var kept []string
	for _, w := range words {
		var n int
		err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM titles_fts
			WHERE titles_fts MATCH ? AND rowid > ? LIMIT ?)`, `"`+w+`"`, newest-recent, common+1).Scan(&n)
		if err != nil {
			return nil, fmt.Errorf("count titles with %q: %w", w, err)
		}
		if n <= common {
			kept = append(kept, w)
		}
	}
	return kept, nil
}

// significantWords returns the distinct words of text worth matching,
// folded as the index folds them, in order, at most maxSimilarTerms.
func significantWords(text string) []string {
	var words []string
	seen := make(map[string]bool)
	for _, w := range queryWords(text) {
		w = foldWord(w)
		if seen[w] || stopwords[w] || isASCII(w) && utf8.RuneCountInString(w) < 3 {
			continue
		}
		seen[w] = true
		words = append(words, w)
		if len(words) == maxSimilarTerms {
			break
		}
	}
	return words
}

// stopwords are English words too common in headlines to say what one is
// about. Other languages' common words still match, but bm25 gives them
// little weight.
var stopwords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(`about above after again against all also and any are because been before
		being below between both but can could did does doing down during each few for from further had has have
		having her here hers herself him himself his how into its itself just more most much new not now off once
		only other our ours out over own same she should some such than that the their them then there these they
		this those through too under until very was were what when where which while who whom why will with would
		you your yours say says said get gets`) {
		m[w] = true
	}
	return m
}()
