package feed

import (
	"strconv"
	"strings"
)

// Long CDATA sections, the HTML bodies of most RSS feeds, are set aside
// before gofeed sees a document and put back into the parsed strings.
// encoding/xml reads them a byte at a time, twice over (as tokens and as the
// inner XML gofeed asks for), which made them most of the parse time; a
// short placeholder instead halves the cost of a refresh. gofeed copies CDATA
// verbatim, so restoring the placeholder gives the very string it would have
// produced.
const (
	minStashedCDATA = 256
	cdataOpen       = "<![CDATA["
	cdataClose      = "]]>"
	// Placeholders are "\uE000<index>\uE001": private-use characters, used
	// only when the document holds none of its own.
	placeholderStart = "\ue000"
	placeholderEnd   = "\ue001"
)

// cdataStash holds the sections taken out of one document.
type cdataStash []string

// stashCDATA returns doc with each long CDATA section's content replaced by
// a placeholder, and the sections to restore.
func stashCDATA(doc string) (string, cdataStash) {
	if strings.Contains(doc, placeholderStart) || !strings.Contains(doc, cdataOpen) {
		return doc, nil
	}
	var b strings.Builder
	var stash cdataStash
	rest := doc
	for {
		open := strings.Index(rest, cdataOpen)
		if open < 0 {
			break
		}
		start := open + len(cdataOpen)
		end := strings.Index(rest[start:], cdataClose)
		if end < 0 {
			break
		}
		end += start
		if end-start < minStashedCDATA {
			b.WriteString(rest[:end])
			rest = rest[end:]
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(doc) / 4)
		}
		b.WriteString(rest[:start])
		b.WriteString(placeholderStart)
		b.WriteString(strconv.Itoa(len(stash)))
		b.WriteString(placeholderEnd)
		stash = append(stash, rest[start:end])
		rest = rest[end:]
	}
	if stash == nil {
		return doc, nil
	}
	b.WriteString(rest)
	return b.String(), stash
}

// restore puts the stashed sections back into s.
func (st cdataStash) restore(s string) string {
	if len(st) == 0 || !strings.Contains(s, placeholderStart) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, placeholderStart)
		if i < 0 {
			break
		}
		b.WriteString(s[:i])
		s = s[i+len(placeholderStart):]
		j := strings.Index(s, placeholderEnd)
		n, err := strconv.Atoi(s[:max(j, 0)])
		if j < 0 || err != nil || n < 0 || n >= len(st) {
			b.WriteString(placeholderStart) // not ours after all; keep it
			continue
		}
		b.WriteString(st[n])
		s = s[j+len(placeholderEnd):]
	}
	b.WriteString(s)
	return b.String()
}
