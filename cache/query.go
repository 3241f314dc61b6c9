package cache

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bylinehq/byline/filter"
	"github.com/bylinehq/byline/news"
)

// A Filter's Query (query feeds, the CLI) is an expression in the filter
// language. The cache splits it at its top-level "and"s: each part that
// SQL can test exactly becomes a condition of the statement, and the rest
// is evaluated in Go (filter.Node.Match) on the rows that SQL selects, so
// that SQL narrows the rows as far as it can and Go reads only those.
//
// What SQL tests: unread, starred and flags (decided for their two values
// up front, so any operator works), =, !=, # and !# on the text columns
// and tags, the numbers (age, unread_count, total_count) with = != < > <=
// >= and between, and dates compared with dates. What Go tests: regular
// expressions, content (stored compressed), the date as text, and the
// numeric prefix of a text column. Both follow the filter package's
// semantics exactly; TestQuerySQLAgreesWithGo holds them to it.

// queryPlan is a Filter with a Query, ready to run.
type queryPlan struct {
	where conditions    // the Filter's own conditions and the SQL part
	rest  []filter.Node // what Go evaluates; empty when SQL does it all
	// narrow is set when the conditions pick out feeds, so that an index
	// leads to few articles; otherwise Go's part reads the whole table,
	// in order, which costs less than reaching most rows through an index.
	narrow bool
}

func (s *Store) planQuery(f news.Filter) (*queryPlan, error) {
	expr, err := filter.Parse(f.Query)
	if err != nil {
		return nil, fmt.Errorf("filter %q: %w", f.Query, err)
	}
	p := &queryPlan{where: articleConditions(f), narrow: len(f.FeedIDs) > 0 || f.Tag != ""}
	now := s.now().Unix()
	for _, n := range conjuncts(expr.Root) {
		if clause, args, ok := nodeSQL(n, now); ok {
			p.where.add(clause, args...)
			p.narrow = p.narrow || picksFeeds(n)
			continue
		}
		p.rest = append(p.rest, n)
		if clause, args, ok := prefilterSQL(n); ok {
			p.where.add(clause, args...)
		}
	}
	return p, nil
}

// picksFeeds reports whether n, as an SQL condition, narrows the articles
// to those of some feeds.
func picksFeeds(n filter.Node) bool {
	c, ok := n.(*filter.Comparison)
	if !ok {
		return false
	}
	switch c.Attr {
	case filter.FeedURL, filter.FeedTitle, filter.FeedLink:
		return c.Op == filter.Equal
	case filter.Tags:
		return c.Op == filter.Contains
	}
	return false
}

// prefilterSQL is a condition that every article matching n meets, for a
// regular expression on a text column that needs certain words: SQL's
// LIKE, which ignores ASCII case, passes the rows that have one, and Go
// decides on those. Ignoring case, Go's k and s also match two letters
// outside ASCII (the Kelvin sign and the long s); LIKE's _ stands for
// them, as for any one character.
func prefilterSQL(n filter.Node) (string, []any, bool) {
	c, ok := n.(*filter.Comparison)
	if !ok || c.Op != filter.Matches {
		return "", nil, false
	}
	column, ok := textColumns[c.Attr]
	words, hasWords := c.Literals()
	if !ok || !hasWords {
		return "", nil, false
	}
	terms := make([]string, len(words))
	args := make([]any, len(words))
	for i, w := range words {
		terms[i] = column + ` LIKE ? ESCAPE '\'`
		args[i] = "%" + likeEscaper.Replace(w) + "%"
	}
	return "(" + strings.Join(terms, " OR ") + ")", args, true
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`, "k", "_", "s", "_")

// conjuncts lists the parts of n that must all match.
func conjuncts(n filter.Node) []filter.Node {
	if and, ok := n.(*filter.And); ok {
		return append(conjuncts(and.Left), conjuncts(and.Right)...)
	}
	return []filter.Node{n}
}

// nodeSQL is n as an SQL condition over articles a joined to feeds f, if
// SQL can test all of it.
func nodeSQL(n filter.Node, now int64) (string, []any, bool) {
	switch n := n.(type) {
	case *filter.And:
		return joinSQL(n.Left, n.Right, " AND ", now)
	case *filter.Or:
		return joinSQL(n.Left, n.Right, " OR ", now)
	case *filter.Comparison:
		op, negated := n.Op.Negated()
		clause, args, ok := comparisonSQL(n, op, now)
		if ok && negated {
			clause = "NOT " + clause
		}
		return clause, args, ok
	}
	return "", nil, false
}

func joinSQL(left, right filter.Node, logical string, now int64) (string, []any, bool) {
	l, largs, ok := nodeSQL(left, now)
	if !ok {
		return "", nil, false
	}
	r, rargs, ok := nodeSQL(right, now)
	if !ok {
		return "", nil, false
	}
	return "(" + l + logical + r + ")", append(largs, rargs...), true
}

// textColumns are the attributes stored as they are in one column.
var textColumns = map[filter.Attribute]string{
	filter.Title: "a.title", filter.Author: "a.author", filter.Link: "a.url", filter.GUID: "a.guid",
	filter.FeedTitle: feedTitleSQL, filter.FeedURL: "f.url", filter.FeedLink: "f.site_url",
}

// feedAttributes are the attributes of an article's feed.
var feedAttributes = []filter.Attribute{filter.FeedTitle, filter.FeedURL, filter.FeedLink, filter.UnreadCount, filter.TotalCount}

// comparisonSQL is c with the operator op (never a negated one) in SQL.
// Every clause is one term, so NOT can be put before it. A test of the
// feed is asked of the feeds alone, as a set of feed ids: SQLite then
// reaches the articles through their feed's index, where a join read
// every article first (and its text) to test its feed.
func comparisonSQL(c *filter.Comparison, op filter.Op, now int64) (string, []any, bool) {
	clause, args, ok := articleSQL(c, op, now)
	if ok && slices.Contains(feedAttributes, c.Attr) && clause != "0" && clause != "1" {
		clause = "(a.feed_id IN (SELECT f.id FROM feeds f WHERE " + clause + "))"
	}
	return clause, args, ok
}

// articleSQL is comparisonSQL's test, over articles a joined to feeds f.
func articleSQL(c *filter.Comparison, op filter.Op, now int64) (string, []any, bool) {
	text := c.Value.Text
	switch c.Attr {
	case filter.Unread:
		return choiceSQL(c, op, "yes", "a.read = 0", "no", "a.read <> 0"), nil, true
	case filter.Starred:
		return choiceSQL(c, op, "yes", "a.starred <> 0", "no", "a.starred = 0"), nil, true
	case filter.Flags:
		return choiceSQL(c, op, "s", "a.starred <> 0", "", "a.starred = 0"), nil, true
	case filter.Age:
		return numberSQL(c, op, "((? - a.published) / 86400)", now)
	case filter.UnreadCount:
		return numberSQL(c, op, "f.unread_count")
	case filter.TotalCount:
		return numberSQL(c, op, "f.total_count")
	case filter.Date:
		if date, ok := c.DateValue(); ok && op == filter.Less {
			return "(a.published < ?)", []any{date.Unix()}, true
		} else if ok && op == filter.Greater {
			return "(a.published > ?)", []any{date.Unix()}, true
		}
	case filter.Tags:
		if op == filter.Contains {
			if !isWord(text) {
				return "0", nil, true
			}
			return "(a.feed_id IN (SELECT feed_id FROM feed_tags WHERE instr(' ' || tag || ' ', ?) > 0))", []any{" " + text + " "}, true
		}
	}
	column, ok := textColumns[c.Attr]
	if !ok {
		return "", nil, false
	}
	switch op {
	case filter.Equal:
		return "(" + column + " = ?)", []any{text}, true
	case filter.Contains:
		if !isWord(text) {
			return "0", nil, true
		}
		return "(instr(' ' || " + column + " || ' ', ?) > 0)", []any{" " + text + " "}, true
	}
	return "", nil, false
}

// isWord reports whether # can find s: the attribute is split at spaces
// and empty words are dropped, so a value with a space, or none, is never
// one of them.
func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return false
		}
	}
	return s != ""
}

// choiceSQL decides c for an attribute that has only two values: whichever
// the comparison matches, the condition is the SQL test for that value.
func choiceSQL(c *filter.Comparison, op filter.Op, one, oneSQL, other, otherSQL string) string {
	switch matchOne, matchOther := c.MatchValue(op, one), c.MatchValue(op, other); {
	case matchOne && matchOther:
		return "1"
	case matchOne:
		return "(" + oneSQL + ")"
	case matchOther:
		return "(" + otherSQL + ")"
	}
	return "0"
}

// numberSQL compares a numeric attribute, the SQL expression expr with
// args, to c's value.
func numberSQL(c *filter.Comparison, op filter.Op, expr string, args ...any) (string, []any, bool) {
	text := c.Value.Text
	switch op {
	case filter.Equal:
		// = compares text, so only a number written as a number is would
		// print can be equal.
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil || strconv.FormatInt(n, 10) != text {
			return "0", nil, true
		}
		return "(" + expr + " = ?)", append(args, n), true
	case filter.Less:
		return "(" + expr + " < ?)", append(args, filter.ToNumber(text)), true
	case filter.Greater:
		return "(" + expr + " > ?)", append(args, filter.ToNumber(text)), true
	case filter.Between:
		lo, hi, ok := c.Bounds()
		if !ok {
			return "0", nil, true
		}
		return "(" + expr + " BETWEEN ? AND ?)", append(args, lo, hi), true
	}
	return "", nil, false
}

// queryRows scans the articles p's SQL selects, in no particular order,
// and calls fn with each that the rest of p matches. Of each article it
// reads the id, the date, what the rest tests and the attributes fn
// wants; the feeds only when the rest tests them.
func (s *Store) queryRows(ctx context.Context, p *queryPlan, wants []filter.Attribute, fn func(a *news.Article)) error {
	var a news.Article
	var published int64
	columns := []string{"a.id", "a.published"}
	dest := []any{&a.ID, &published}
	need := func(attrs []filter.Attribute, column string, to ...any) {
		if usesAny(p.rest, attrs...) || slices.ContainsFunc(attrs, func(at filter.Attribute) bool { return slices.Contains(wants, at) }) {
			columns = append(columns, column)
			dest = append(dest, to...)
		}
	}
	need([]filter.Attribute{filter.Unread}, "a.read", &a.Read)
	need([]filter.Attribute{filter.Starred, filter.Flags}, "a.starred", &a.Starred)
	need([]filter.Attribute{filter.Title}, "a.title", &a.Title)
	need([]filter.Attribute{filter.Author}, "a.author", &a.Author)
	need([]filter.Attribute{filter.Link}, "a.url", &a.URL)
	need([]filter.Attribute{filter.GUID}, "a.guid", &a.GUID)
	need([]filter.Attribute{filter.Content}, "t.summary, t.content", storedText{s: &a.Summary}, storedText{s: &a.Content, summary: &a.Summary})
	feedAttrs := []filter.Attribute{filter.FeedTitle, filter.FeedURL, filter.FeedLink, filter.Tags, filter.UnreadCount, filter.TotalCount}
	need(feedAttrs, "a.feed_id", &a.FeedID)
	var feeds map[int64]*news.Feed
	if usesAny(p.rest, feedAttrs...) || slices.ContainsFunc(feedAttrs, func(at filter.Attribute) bool { return slices.Contains(wants, at) }) {
		var err error
		if feeds, err = s.feedsByID(ctx); err != nil {
			return err
		}
	}
	from := " FROM articles a NOT INDEXED JOIN feeds f ON f.id = a.feed_id"
	if p.narrow {
		from = articlesFromSQL
	}
	if usesAny(p.rest, filter.Content) {
		from += " JOIN article_text t ON t.id = a.id"
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+strings.Join(columns, ", ")+from+p.where.where(), p.where.args...)
	if err != nil {
		return err
	}
	r := filter.Record{Article: &a, Now: s.now()}
rows:
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return err
		}
		a.Published = unixTime(published)
		r.Feed = feeds[a.FeedID]
		if r.Feed != nil {
			a.FeedTitle = r.Feed.Title
		}
		for _, n := range p.rest {
			if !n.Match(&r) {
				continue rows
			}
		}
		fn(&a)
	}
	return closeRows(rows)
}

// usesAny reports whether any of nodes tests any of attrs.
func usesAny(nodes []filter.Node, attrs ...filter.Attribute) bool {
	for _, n := range nodes {
		switch n := n.(type) {
		case *filter.And:
			if usesAny([]filter.Node{n.Left, n.Right}, attrs...) {
				return true
			}
		case *filter.Or:
			if usesAny([]filter.Node{n.Left, n.Right}, attrs...) {
				return true
			}
		case *filter.Comparison:
			for _, a := range attrs {
				if n.Attr == a {
					return true
				}
			}
		}
	}
	return false
}

// feedsByID reads every feed's attributes that an expression can test,
// subscribed or not (a starred article outlives its subscription).
func (s *Store) feedsByID(ctx context.Context) (map[int64]*news.Feed, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT f.id, f.url, "+feedTitleSQL+", f.site_url, f.unread_count, f.total_count FROM feeds f")
	if err != nil {
		return nil, err
	}
	feeds := make(map[int64]*news.Feed)
	for rows.Next() {
		f := &news.Feed{}
		if err := rows.Scan(&f.ID, &f.URL, &f.Title, &f.SiteURL, &f.Unread, &f.Total); err != nil {
			rows.Close()
			return nil, err
		}
		feeds[f.ID] = f
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	err = eachTag(ctx, s.db, func(feedID int64, tag string) {
		if f := feeds[feedID]; f != nil {
			f.Tags = append(f.Tags, tag)
		}
	})
	return feeds, err
}

// queryIDs returns the ids of the articles p selects, newest first, cut
// to f's Offset and Limit. The matches are sorted here rather than read
// in order: reading in order would reach the rows through an index, one
// by one, which cost far more than the whole table read straight.
func (s *Store) queryIDs(ctx context.Context, p *queryPlan, f news.Filter) ([]int64, error) {
	type match struct {
		published, id int64
		key           string // the title or feed title the order needs
	}
	var wants []filter.Attribute
	switch f.Order {
	case news.ByTitle:
		wants = []filter.Attribute{filter.Title}
	case news.ByFeed:
		wants = []filter.Attribute{filter.FeedTitle}
	}
	var matches []match
	err := s.queryRows(ctx, p, wants, func(a *news.Article) {
		m := match{published: a.Published.Unix(), id: a.ID}
		switch f.Order {
		case news.ByTitle:
			m.key = a.Title
		case news.ByFeed:
			m.key = a.FeedTitle
		}
		matches = append(matches, m)
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(matches, func(x, y match) int {
		if c := compareNoCase(x.key, y.key); c != 0 {
			return c
		}
		if c := cmp.Compare(y.published, x.published); c != 0 {
			return c
		}
		return cmp.Compare(y.id, x.id)
	})
	matches = matches[min(max(f.Offset, 0), len(matches)):]
	if f.Limit > 0 && len(matches) > f.Limit {
		matches = matches[:f.Limit]
	}
	ids := make([]int64, len(matches))
	for i, m := range matches {
		ids[i] = m.id
	}
	return ids, nil
}

// compareNoCase compares as SQLite's NOCASE does: ASCII letters folded,
// everything else byte by byte.
func compareNoCase(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := cmp.Compare(lowerASCII(a[i]), lowerASCII(b[i])); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// queryArticles is Articles for a Filter with a Query.
func (s *Store) queryArticles(ctx context.Context, f news.Filter) ([]news.Article, error) {
	p, err := s.planQuery(f)
	if err != nil {
		return nil, err
	}
	var ids string
	var args []any
	if len(p.rest) == 0 {
		ids, args = pageSQL(p.where, f)
	} else {
		found, err := s.queryIDs(ctx, p, f)
		if err != nil {
			return nil, err
		}
		ids, args = "SELECT value FROM json_each(?)", []any{jsonIDs(found)}
	}
	return s.articlesIn(ctx, ids, args, f.Order)
}

// queryCount is Count for a Filter with a Query.
func (s *Store) queryCount(ctx context.Context, f news.Filter) (int, error) {
	p, err := s.planQuery(f)
	if err != nil {
		return 0, err
	}
	var n int
	if len(p.rest) == 0 {
		err = s.db.QueryRowContext(ctx, "SELECT count(*)"+articlesFromSQL+p.where.where(), p.where.args...).Scan(&n)
	} else {
		err = s.queryRows(ctx, p, nil, func(*news.Article) { n++ })
	}
	return n, err
}

// queryMarkRead is MarkAllRead for a Filter with a Query.
func (s *Store) queryMarkRead(ctx context.Context, f news.Filter) (int, error) {
	if f.Limit <= 0 && f.Offset <= 0 {
		f.Unread = true
	}
	p, err := s.planQuery(f)
	if err != nil {
		return 0, err
	}
	var from string
	var args []any
	if len(p.rest) == 0 && f.Unread {
		from, args = articlesFromSQL+p.where.where(), p.where.args
	} else {
		ids, err := s.queryIDs(ctx, p, f)
		if err != nil {
			return 0, err
		}
		from, args = " FROM articles a WHERE a.read = 0 AND a.id IN (SELECT value FROM json_each(?))", []any{jsonIDs(ids)}
	}
	var n int
	err = s.write(ctx, func(tx *sql.Tx) error {
		n, err = setRead(ctx, tx, from, args, true)
		return err
	})
	return n, err
}

// QueryFeeds returns the query feeds among subs (Subscription.Query set)
// as feeds, in order, each with the number of articles it matches and how
// many of those are unread.
func (s *Store) QueryFeeds(ctx context.Context, subs []news.Subscription) (feeds []news.Feed, err error) {
	defer s.explain(&err)
	for _, sub := range subs {
		if sub.Query == "" {
			continue
		}
		total, unread, err := s.queryCounts(ctx, news.Filter{Query: sub.Query})
		if err != nil {
			return nil, fmt.Errorf("query feed %q: %w", sub.Title, err)
		}
		feeds = append(feeds, news.Feed{URL: sub.URL, Title: sub.Title, Tags: sub.Tags, Query: sub.Query, Unread: unread, Total: total})
	}
	return feeds, nil
}

// queryCounts counts the articles a Filter with a Query selects, and the
// unread ones among them, in one pass.
func (s *Store) queryCounts(ctx context.Context, f news.Filter) (total, unread int, err error) {
	p, err := s.planQuery(f)
	if err != nil {
		return 0, 0, err
	}
	if len(p.rest) == 0 {
		err = s.db.QueryRowContext(ctx, "SELECT count(*), coalesce(sum(a.read = 0), 0)"+articlesFromSQL+p.where.where(), p.where.args...).Scan(&total, &unread)
		return total, unread, err
	}
	err = s.queryRows(ctx, p, []filter.Attribute{filter.Unread}, func(a *news.Article) {
		total++
		if !a.Read {
			unread++
		}
	})
	return total, unread, err
}
