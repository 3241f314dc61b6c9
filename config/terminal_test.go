package config

import "testing"

func TestDarkBackground(t *testing.T) {
	for _, c := range []struct {
		in          string
		dark, known bool
	}{
		{"15;0", true, true}, {"0;15", false, true}, {"0;7", false, true}, {"7;8", true, true},
		{"0;default;7", false, true}, {"15;default;0", true, true}, {"12;4", true, true}, {"0;11", false, true},
		{"", false, false}, {"15", false, false}, {"0;default", false, false}, {"0;16", false, false}, {"0;-1", false, false}, {";", false, false},
	} {
		if dark, known := DarkBackground(c.in); dark != c.dark || known != c.known {
			t.Errorf("DarkBackground(%q) = %v, %v; want %v, %v", c.in, dark, known, c.dark, c.known)
		}
	}
}
