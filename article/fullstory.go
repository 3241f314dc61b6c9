package article

import (
	"regexp"
	"strings"
)

// fullStoryWords is how long a feed item's text must be to pass for the
// whole story: excerpts run to a paragraph or two.
const fullStoryWords = 150

var (
	// truncatedEnd matches how excerpts end: an ellipsis, "[…]", or a
	// "Read more" line.
	truncatedEnd = regexp.MustCompile(`(?i)(…|\.\.\.|\[…\]|\[\.\.\.\]|\(more…?\)|read more|continue reading|keep reading)[\s\p{P}\p{S}]*$`)
	// continueLine matches a last paragraph that sends the reader to the
	// page: "Continue reading <title>", "Read the full story".
	continueLine = regexp.MustCompile(`(?i)^(read more|continue reading|keep reading|read the (full|rest|whole)|read on|full story|view (the )?full (article|story)|click here to read)\b`)
)

// IsFullStory reports whether a feed item's content already looks like the
// whole story, so that the page need not be fetched: at least about 150
// words, and not ending the way an excerpt does ("…", "[…]", "Read more").
// summary stands in when the item has no content.
func IsFullStory(contentHTML, summary string) bool {
	body := contentHTML
	if strings.TrimSpace(body) == "" {
		body = summary
	}
	root, err := parseFragment(body)
	if err != nil {
		return false
	}
	// Clean-up drops what feeds append to full and partial items alike,
	// such as WordPress's "The post … appeared first on …".
	removeClutter(root, false, nil)
	text := plainText(root)
	if countWords(text) < fullStoryWords {
		return false
	}
	last := text[strings.LastIndex(text, "\n\n")+1:]
	last = strings.TrimSpace(last)
	if truncatedEnd.MatchString(last) {
		return false
	}
	return countWords(last) > 20 || !continueLine.MatchString(last)
}
