package config

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readmeSection is the text of the README's "## title" section.
func readmeSection(t *testing.T, title string) string {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "\n## "+title+"\n")
	if !ok {
		t.Fatalf("the README has no section %q", title)
	}
	if end := strings.Index(rest, "\n## "); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

// tableRow is a README table row naming a key: | `key` | cells… |
var tableRow = regexp.MustCompile("(?m)^\\| `([^`]+)` \\|(.*)\\|$")

// readmeRows are the rows of a section's first table, by key.
func readmeRows(section string) (keys []string, cells map[string][]string) {
	cells = map[string][]string{}
	_, table, _ := strings.Cut(section, "\n|")
	if end := strings.Index(table, "\n\n"); end >= 0 {
		table = table[:end]
	}
	for _, m := range tableRow.FindAllStringSubmatch(table, -1) {
		keys = append(keys, m[1])
		for _, c := range strings.Split(m[2], " | ") {
			cells[m[1]] = append(cells[m[1]], strings.TrimSpace(c))
		}
	}
	return keys, cells
}

func tableKeys[T any](table []setting[T]) []string {
	var keys []string
	for _, st := range table {
		keys = append(keys, st.key)
	}
	return keys
}

// The configuration reference is the settings byline reads: a row for
// every key and none for a key it does not know, and its defaults, read
// as config.toml values, are config.Default(). The [[feed]] keys have the
// rows of "Settings for one feed", and the [[feed]] and [[ignore]] rows
// of the reference name theirs.
func TestReadmeConfigReference(t *testing.T) {
	keys, cells := readmeRows(readmeSection(t, "Configuration"))
	var toml strings.Builder
	for _, key := range keys {
		if strings.HasPrefix(key, "[") {
			continue
		}
		if _, ok := lookup(settingsTable, key); !ok {
			t.Errorf("the README's configuration reference has %q, which config.toml does not take", key)
			continue
		}
		def := strings.Trim(cells[key][0], "`")
		if def == "" {
			t.Errorf("the README gives %q no default", key)
			continue
		}
		toml.WriteString(key + " = " + def + "\n")
	}
	for _, key := range tableKeys(settingsTable) {
		if !slices.Contains(keys, key) {
			t.Errorf("the README's configuration reference has no row for %q", key)
		}
	}
	got, err := parseSettings("README.md", []byte(toml.String()), nil)
	if err != nil {
		t.Fatalf("the README's defaults do not load:\n%s%v", toml.String(), err)
	}
	gotFields, wantFields := reflect.ValueOf(got), reflect.ValueOf(Default())
	for i := range gotFields.NumField() {
		g, w := gotFields.Field(i), wantFields.Field(i)
		if k := g.Kind(); (k == reflect.Slice || k == reflect.Map) && g.Len() == 0 && w.Len() == 0 {
			continue // [] in the file, nil in Default(): both none
		}
		if !reflect.DeepEqual(g.Interface(), w.Interface()) {
			t.Errorf("%s: the README's default is %v, config.Default()'s %v", gotFields.Type().Field(i).Name, g, w)
		}
	}

	feedKeys, _ := readmeRows(readmeSection(t, "Settings for one feed"))
	if want := tableKeys(feedSettingsTable); !slices.Equal(sorted(feedKeys), sorted(want)) {
		t.Errorf("\"Settings for one feed\" lists %q; [[feed]] takes %q", feedKeys, want)
	}
	for table, want := range map[string][]string{
		"[[feed]]":   append([]string{"url"}, tableKeys(feedSettingsTable)...),
		"[[ignore]]": {"feed", "match"},
	} {
		row := strings.Join(cells[table], " ")
		for _, key := range want {
			if !strings.Contains(row, "`"+key+"`") {
				t.Errorf("the README's %s row does not name %q: %s", table, key, row)
			}
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
