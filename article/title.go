package article

import (
	"strings"

	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/sanitize"
)

// titleWords is how many words of an untitled article's text name it.
const titleWords = 12

// DisplayTitle is what to call an article wherever its title shows (the
// reader's lists, byline list and search): its title, else the first
// words of its text, else its link. A feed item need not have a title:
// RSS asks for a title or a description, and many notes and link posts
// have only the one.
func DisplayTitle(a news.Article) string {
	if strings.TrimSpace(a.Title) != "" {
		return a.Title
	}
	for _, fragment := range []string{a.Summary, a.Content} {
		if words := leadWords(fragment); words != "" {
			return words
		}
	}
	return a.URL
}

// leadWords is the start of an HTML fragment's text, a title's length.
func leadWords(fragment string) string {
	if strings.TrimSpace(fragment) == "" {
		return ""
	}
	root, err := parseFragment(fragment)
	if err != nil {
		return ""
	}
	text, _, complete := limitedText(root, 40*titleWords, false)
	words := strings.Fields(text)
	if len(words) > titleWords {
		words, complete = words[:titleWords], false
	}
	lead := sanitize.Line(strings.Join(words, " "))
	if lead != "" && !complete {
		lead += "…"
	}
	return lead
}
