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

// Thousands writes n with a comma between groups of three digits, as in
// "200 of 6,092 found", so a large count reads at a glance.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}
