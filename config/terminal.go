package config

import (
	"strconv"
	"strings"
)

// DarkBackground reads COLORFGBG, which rxvt, Konsole, iTerm2 and others
// set to "fg;bg" (or "fg;default;bg") in ANSI colour numbers, as vim and
// less read it: a background of 0–6 or 8 is dark, 7 or 9–15 light. known
// is false when the variable is unset or says nothing usable. It is the
// answer for a terminal that does not answer the background-colour query.
func DarkBackground(colorfgbg string) (dark, known bool) {
	i := strings.LastIndexByte(colorfgbg, ';')
	if i < 0 {
		return false, false
	}
	bg, err := strconv.Atoi(colorfgbg[i+1:])
	if err != nil || bg < 0 || bg > 15 {
		return false, false
	}
	return bg <= 6 || bg == 8, true
}
