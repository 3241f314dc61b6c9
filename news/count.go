package news

import "strconv"

// Count says how many of noun there are the way every message of byline
// says it: "1 feed", "2 feeds", "0 new articles". noun is singular and
// takes an s.
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
