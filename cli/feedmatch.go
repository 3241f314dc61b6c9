package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bylinehq/byline/news"
)

// errNoFeed is matchFeed's answer to a key that names no subscribed feed.
var errNoFeed = errors.New("no subscribed feed has that ID, URL or title (see `byline feeds`)")

// matchFeed finds the subscribed feed a user named: by its ID, its URL, or
// its title as `byline feeds` shows it (the ~ rename, else the feed's own),
// ignoring case. It is the one matcher of refresh, list --feed, mark
// --feed and remove. A title that several feeds share names none of them:
// acting on the first could remove a feed the user did not mean.
func matchFeed(feeds []news.Feed, key string) (news.Feed, error) {
	key = strings.TrimSpace(key)
	if id, err := strconv.ParseInt(key, 10, 64); err == nil {
		for _, f := range feeds {
			if f.ID == id && f.Query == "" { // a query feed has no ID
				return f, nil
			}
		}
	}
	for _, f := range feeds {
		if f.URL == key {
			return f, nil
		}
	}
	var titled []news.Feed
	for _, f := range feeds {
		if strings.EqualFold(f.Title, key) {
			titled = append(titled, f)
		}
	}
	switch len(titled) {
	case 0:
		return news.Feed{}, errNoFeed
	case 1:
		return titled[0], nil
	}
	ids := make([]string, len(titled))
	for i, f := range titled {
		ids[i] = strconv.FormatInt(f.ID, 10)
	}
	return news.Feed{}, fmt.Errorf("%s have that title (IDs %s); give the ID or the URL", news.Count(len(titled), "feed"), strings.Join(ids, ", "))
}
