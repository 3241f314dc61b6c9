package config

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/bylinehq/byline/filter"
)

// NewsboatConfig is what byline makes of a newsboat config file: the
// config.toml lines that say the same, and a note for each line it does
// not carry over.
type NewsboatConfig struct {
	// Settings are config.toml's top-level "key = value" lines, by key.
	Settings map[string]string
	// Tables are the [[ignore]] tables, in newsboat's order.
	Tables string
	// Notes say, with newsboat's line numbers, what was left out and why.
	Notes []Warning
}

// newsboatKeys maps newsboat's settings that byline has to byline's key
// and how the value is written.
var newsboatKeys = map[string]struct {
	key   string
	value func(arg string) (string, error)
}{
	"max-items":          {"max-items", tomlNumber},
	"keep-articles-days": {"keep-days", tomlNumber},
	"user-agent":         {"user-agent", tomlText},
	"browser":            {"browser", tomlText},
	"save-path":          {"save-dir", tomlText},
	"refresh-on-startup": {"refresh-on-start", tomlBool},
	"notify-program":     {"notify-command", func(arg string) (string, error) { return "[" + tomlString(arg) + "]", nil }},
}

// ConvertNewsboatConfig reads newsboat's config file (its "command
// arguments..." lines) and writes what byline understands of it as
// config.toml: ignore-article rules as [[ignore]] tables, reload-time with
// auto-reload as reload-every, and the settings both readers have. The
// result is checked by parsing it as byline would.
func ConvertNewsboatConfig(r io.Reader) (NewsboatConfig, error) {
	data, err := readBounded(r, maxListBytes)
	if err != nil {
		return NewsboatConfig{}, err
	}
	var (
		out        = NewsboatConfig{Settings: map[string]string{}}
		ignores    strings.Builder
		autoReload bool
		reloadTime = 60 // newsboat's default, in minutes
		reloadLine int
	)
	note := func(line int, format string, args ...any) {
		out.Notes = append(out.Notes, Warning{Line: line, Text: fmt.Sprintf(format, args...)})
	}
	_, lines := splitLines(data)
	for i, raw := range lines {
		n := i + 1
		args := tokenizeNewsboat(lineContent(raw))
		if len(args) == 0 {
			continue
		}
		command, args := args[0], args[1:]
		switch {
		case command == "ignore-article":
			if len(args) != 2 {
				note(n, "ignore-article takes a feed and an expression; skipped")
				continue
			}
			if _, err := filter.Parse(args[1]); err != nil {
				note(n, "ignore-article %q: %v; skipped", args[1], err)
				continue
			}
			fmt.Fprintf(&ignores, "\n[[ignore]]\nfeed = %s\nmatch = %s\n", tomlString(args[0]), tomlString(args[1]))
		case command == "ignore-mode":
			if len(args) == 1 && args[0] == "display" {
				note(n, `ignore-mode "display": byline ignores articles as they arrive, like newsboat's "download"`)
			}
		case command == "auto-reload":
			autoReload = len(args) == 1 && args[0] == "yes"
		case command == "reload-time":
			minutes, err := strconv.Atoi(strings.Join(args, ""))
			if err != nil || minutes < 1 {
				note(n, "reload-time %q is not a number of minutes; skipped", strings.Join(args, " "))
				continue
			}
			reloadTime, reloadLine = minutes, n
		case command == "prepopulate-query-feeds":
			// byline's query feeds are always current.
		default:
			m, ok := newsboatKeys[command]
			if !ok {
				note(n, "%s: byline has no such setting; not carried over", command)
				continue
			}
			value, err := m.value(strings.Join(args, " "))
			if err != nil {
				note(n, "%s: %v; skipped", command, err)
				continue
			}
			out.Settings[m.key] = value
		}
	}
	if autoReload {
		out.Settings["reload-every"] = tomlString((time.Duration(reloadTime) * time.Minute).String())
	} else if reloadLine > 0 {
		note(reloadLine, "reload-time without auto-reload yes: newsboat does not reload on its own, nor will byline")
	}
	out.Tables = ignores.String()
	if _, err := parseSettings("newsboat's config", out.merge(nil, nil), nil); err != nil {
		return NewsboatConfig{}, fmt.Errorf("the settings made from newsboat's config do not load: %w", err)
	}
	return out, nil
}

// newsboatMarker starts what MergeNewsboat adds to config.toml, so a
// second migration can tell.
const newsboatMarker = "# From newsboat's config (byline migrate)"

// MergeNewsboat adds nb to an existing config.toml (nil if there is none)
// and returns the new file and what it left out. Top-level settings go
// before everything else, where TOML keeps them out of any table; one the
// file sets already is kept as the user has it. The [[ignore]] tables go
// last. A file that has had a migration already is refused.
func MergeNewsboat(existing []byte, nb NewsboatConfig) ([]byte, []string, error) {
	if strings.Contains(string(existing), newsboatMarker) {
		return nil, nil, errors.New("config.toml has newsboat's settings already (remove the block that starts " + strconv.Quote(newsboatMarker) + " to migrate again)")
	}
	var top map[string]toml.Primitive
	if _, err := toml.Decode(string(existing), &top); err != nil {
		return nil, nil, fmt.Errorf("config.toml: %w", err)
	}
	var kept []string
	for key := range nb.Settings {
		if _, ok := top[key]; ok {
			kept = append(kept, key)
		}
	}
	slices.Sort(kept)
	return nb.merge(existing, kept), kept, nil
}

func (nb NewsboatConfig) merge(existing []byte, skip []string) []byte {
	var b strings.Builder
	var keys []string
	for key := range nb.Settings {
		if !slices.Contains(skip, key) {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	if len(keys) > 0 {
		b.WriteString(newsboatMarker + ":\n")
		for _, key := range keys {
			fmt.Fprintf(&b, "%s = %s\n", key, nb.Settings[key])
		}
		b.WriteString("# (end of newsboat's settings)\n\n")
	}
	b.Write(existing)
	if nb.Tables != "" {
		if len(existing) > 0 && !strings.HasSuffix(string(existing), "\n") {
			b.WriteByte('\n')
		}
		if len(keys) == 0 {
			b.WriteString("\n" + newsboatMarker + ":\n")
		} else {
			b.WriteString("\n# newsboat's ignore-article rules:\n")
		}
		b.WriteString(nb.Tables)
	}
	return []byte(b.String())
}

// tokenizeNewsboat splits a line of newsboat's config as newsboat does:
// at spaces, a double-quoted argument running to its closing quote with
// backslash escapes; a # outside quotes starts a comment.
func tokenizeNewsboat(line string) []string {
	var args []string
	i := 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) || line[i] == '#' {
			return args
		}
		var arg strings.Builder
		if line[i] == '"' {
			for i++; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) {
					i++
					arg.WriteByte(unescape(line[i]))
					continue
				}
				arg.WriteByte(line[i])
			}
			i++ // the closing quote
		} else {
			for ; i < len(line) && line[i] != ' ' && line[i] != '\t'; i++ {
				arg.WriteByte(line[i])
			}
		}
		args = append(args, arg.String())
	}
}

func tomlNumber(arg string) (string, error) {
	n, err := strconv.Atoi(arg)
	if err != nil {
		return "", fmt.Errorf("%q is not a number", arg)
	}
	return strconv.Itoa(n), nil
}

func tomlText(arg string) (string, error) { return tomlString(arg), nil }

func tomlBool(arg string) (string, error) {
	switch arg {
	case "yes", "true":
		return "true", nil
	case "no", "false":
		return "false", nil
	}
	return "", fmt.Errorf("%q is not yes or no", arg)
}

// tomlString writes s as a TOML string: a literal one ('…') when it can
// be, since filter expressions are full of double quotes and backslashes.
func tomlString(s string) string {
	if !strings.ContainsAny(s, "'\r\n") && printable(s) == nil {
		return "'" + s + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
