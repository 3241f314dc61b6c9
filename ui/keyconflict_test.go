package ui

import (
	"strings"
	"testing"
)

// TestCheckKeysFindsClashes: a key two actions share on one screen does
// one of them there and never the other (refresh = ["j"] took j from
// down); keys shared on different screens, or shared by default, are fine.
func TestCheckKeysFindsClashes(t *testing.T) {
	if p := CheckKeys(nil); len(p) != 0 {
		t.Fatalf("the default keys clash: %v", p)
	}
	for _, a := range keyActions {
		if a.screens == 0 {
			t.Errorf("%s works nowhere", a.name)
		}
	}
	for _, c := range []struct {
		keys    map[string][]string
		blamed  []string
		mention string
	}{
		{map[string][]string{"refresh": {"j"}}, []string{"refresh"}, "down"},
		{map[string][]string{"browser": {"x"}, "open": {"x"}}, []string{"open", "browser"}, `"x"`},
		{map[string][]string{"next-link": {"3"}}, []string{"next-link"}, "link number"},
		{map[string][]string{"fly": {"x"}}, []string{"fly"}, "unknown action"},
		{map[string][]string{"down": {"down"}, "refresh": {"j"}}, nil, ""},
		{map[string][]string{"forward": {"o"}}, []string{"forward"}, "browser"}, // o is global, the reader sees it first
		{map[string][]string{"show-error": {"x"}, "toggle-text": {"E"}}, nil, ""},
		{map[string][]string{"toggle-text": {"e"}}, []string{"toggle-text"}, "show-error"}, // the feeds-only-looking e is global
		{map[string][]string{"follow": {"enter", "f"}}, nil, ""},
	} {
		problems := CheckKeys(c.keys)
		var blamed []string
		for _, p := range problems {
			blamed = append(blamed, p.Action)
			if !strings.Contains(p.Err.Error(), c.mention) {
				t.Errorf("%v: %s: %v lacks %q", c.keys, p.Action, p.Err, c.mention)
			}
		}
		if strings.Join(blamed, ",") != strings.Join(c.blamed, ",") {
			t.Errorf("%v: problems with %v, want %v: %v", c.keys, blamed, c.blamed, problems)
		}
	}
}
