package config

import (
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/bylinehq/byline/news"
)

// The feed list is newsboat's urls file, read the way newsboat reads it:
//
//   - Tokens are separated by spaces and tabs. A token that starts with a
//     double quote runs to the next unescaped quote; inside it a backslash
//     escapes the next character (\n, \r and \t as in newsboat, which
//     byline then turns into spaces). Outside quotes, quotes and
//     backslashes are ordinary characters.
//   - An unquoted token that starts with # begins a comment that runs to
//     the end of the line, so whole-line and trailing " # ..." comments
//     both work, while a # inside a URL (a fragment) does not.
//   - The first token is the URL; a later token starting with ~ is the
//     title (the last one wins); every other token is a tag. Tags starting
//     with ! mark hidden feeds in newsboat; byline keeps them as ordinary
//     tags.
//   - A first token query:NAME:EXPRESSION is a query feed, as in newsboat:
//     a virtual feed named NAME of the cached articles that match the
//     filter expression (package filter); its other tokens are tags as on
//     any line. The token is usually quoted, with the expression's quotes
//     escaped: "query:Unread:unread = \"yes\"".
//   - exec: and filter: lines are skipped with one warning each; byline
//     never runs a command named in the feed list.
//   - A UTF-8 byte order mark and CRLF line endings are accepted.

// Warning is something in an input file that byline read around instead
// of failing on, such as a skipped line.
type Warning struct {
	Line int // 1-based
	Text string
}

func (w Warning) String() string { return fmt.Sprintf("line %d: %s", w.Line, w.Text) }

// ErrDuplicate is returned by AddURL when the feed list already holds the
// URL.
var ErrDuplicate = errors.New("already in the feed list")

// maxListBytes bounds the feed list and OPML files read into memory. A
// list of 100,000 feeds is a few MiB.
const maxListBytes = 64 << 20

const byteOrderMark = "\uFEFF"

// starterURLs is the feed list written on first run.
//
//go:embed starter-urls
var starterURLs string

// FeedList is a parsed feed list.
type FeedList struct {
	// Subscriptions are the feeds to fetch, in the file's order.
	Subscriptions []news.Subscription
	// Queries are the query feeds (Subscription.Query set), in order.
	Queries []news.Subscription
}

// ParseFeedList reads a feed list. Lines byline cannot use are skipped
// with a warning; so are repeats of a URL (the first one counts). The
// error is only for a failure to read.
func ParseFeedList(r io.Reader) (FeedList, []Warning, error) {
	data, err := readBounded(r, maxListBytes)
	if err != nil {
		return FeedList{}, nil, err
	}
	var (
		list      FeedList
		warnings  []Warning
		firstLine = make(map[string]int)
	)
	_, lines := splitLines(data)
	for i, raw := range lines {
		n := i + 1
		sub, ok, texts := parseURLLine(lineContent(raw))
		for _, t := range texts {
			warnings = append(warnings, Warning{Line: n, Text: t})
		}
		if !ok {
			continue
		}
		if first, dup := firstLine[sub.URL]; dup {
			warnings = append(warnings, Warning{Line: n, Text: fmt.Sprintf("%s is already on line %d; skipped", sub.URL, first)})
			continue
		}
		firstLine[sub.URL] = n
		if sub.Query != "" {
			list.Queries = append(list.Queries, sub)
		} else {
			list.Subscriptions = append(list.Subscriptions, sub)
		}
	}
	return list, warnings, nil
}

// ParseURLs reads the feeds to fetch from a feed list, as ParseFeedList.
func ParseURLs(r io.Reader) ([]news.Subscription, []Warning, error) {
	list, warnings, err := ParseFeedList(r)
	return list.Subscriptions, warnings, err
}

// LoadFeedList reads the feed list at path.
func LoadFeedList(path string) (FeedList, []Warning, error) {
	f, err := os.Open(path)
	if err != nil {
		return FeedList{}, nil, fmt.Errorf("read feed list: %w", err)
	}
	defer f.Close()
	list, warnings, err := ParseFeedList(f)
	if err != nil {
		return FeedList{}, nil, fmt.Errorf("read feed list %s: %w", path, err)
	}
	return list, warnings, nil
}

// LoadURLs reads the feeds to fetch from the feed list at path.
func LoadURLs(path string) ([]news.Subscription, []Warning, error) {
	list, warnings, err := LoadFeedList(path)
	return list.Subscriptions, warnings, err
}

// URLWarningsFile is where UnseenWarnings remembers the warnings shown:
// beside the cache, since it is byline's state, not the user's settings.
func (p Paths) URLWarningsFile() string { return filepath.Join(p.DataDir, "urls-warnings") }

// UnseenWarnings returns warnings unless they are the ones shown last time,
// which stateFile remembers as a digest, and remembers these. So a feed
// list's warnings are shown once, and again only when what they say
// changes (an edit, a line moved): every command, and a cron job's mail
// every hour, repeated them. No warnings forget the digest, so a problem
// fixed and brought back is shown again. A state file that cannot be read
// or written only means the warnings are shown again next time.
func UnseenWarnings(stateFile string, warnings []Warning) []Warning {
	if len(warnings) == 0 {
		os.Remove(stateFile) // a missing file is the usual case
		return nil
	}
	h := sha256.New()
	for _, w := range warnings {
		fmt.Fprintf(h, "%d\x00%s\x00", w.Line, w.Text)
	}
	digest := hex.EncodeToString(h.Sum(nil)) + "\n"
	if seen, err := os.ReadFile(stateFile); err == nil && string(seen) == digest {
		return nil
	}
	if os.MkdirAll(filepath.Dir(stateFile), dirMode) == nil {
		replaceFile(stateFile, digest, 0o600)
	}
	return warnings
}

// EnsureURLs writes the starter feed list to path when no file is there,
// creating its directory (0700) if needed; the file is 0644. created says
// whether it wrote one.
func EnsureURLs(path string) (created bool, err error) {
	if _, err := os.Stat(path); err == nil {
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("feed list: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), dirMode); err != nil {
		return false, fmt.Errorf("create feed list: %w", err)
	}
	// O_EXCL: if another byline created the file meanwhile, keep theirs.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("create feed list: %w", err)
	}
	if _, err := f.WriteString(starterURLs); err != nil {
		f.Close()
		return false, fmt.Errorf("write feed list: %w", err)
	}
	if err := f.Close(); err != nil {
		return false, fmt.Errorf("write feed list: %w", err)
	}
	return true, nil
}

// AddURL appends s to the feed list at path as one line in newsboat
// syntax, creating the file (and its directory) if needed. The rest of the
// file is left exactly as it was; the new line follows its line endings.
// A URL already in the list gives ErrDuplicate.
func AddURL(path string, s news.Subscription) error {
	sub, err := normalizeSubscription(s)
	if err != nil {
		return fmt.Errorf("add %s: %w", s.URL, err)
	}
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("add %s: %w", sub.URL, err)
	}
	text := string(data)
	_, lines := splitLines(text)
	for _, raw := range lines {
		if old, ok, _ := parseURLLine(lineContent(raw)); ok && old.URL == sub.URL {
			return fmt.Errorf("add %s: %w", sub.URL, ErrDuplicate)
		}
	}
	newline := "\n"
	if strings.Contains(text, "\r\n") {
		newline = "\r\n"
	}
	var add strings.Builder
	if text != "" && !strings.HasSuffix(text, "\n") {
		add.WriteString(newline)
	}
	add.WriteString(formatURLLine(sub))
	add.WriteString(newline)

	if err := os.MkdirAll(filepath.Dir(path), dirMode); err != nil {
		return fmt.Errorf("add %s: %w", sub.URL, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("add %s: %w", sub.URL, err)
	}
	if _, err := f.WriteString(add.String()); err != nil {
		f.Close()
		return fmt.Errorf("add %s: %w", sub.URL, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("add %s: %w", sub.URL, err)
	}
	return nil
}

// RemoveURL deletes from the feed list at path every line whose URL is
// target and returns what it removed. (Which feed a user means by a title
// or an ID is the caller's question: the cache knows the titles feeds
// give themselves.) Every other line, comments included, is kept byte for
// byte. When nothing matches, removed is empty and the file is not
// touched. The file is replaced atomically; a symlinked list stays a
// symlink.
func RemoveURL(path string, target string) (removed []news.Subscription, err error) {
	target = strings.TrimSpace(target)
	if target == "" {
		return nil, errors.New("remove: no URL given")
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, fmt.Errorf("remove %s: %w", target, err)
	}
	info, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("remove %s: %w", target, err)
	}
	data, err := os.ReadFile(real)
	if err != nil {
		return nil, fmt.Errorf("remove %s: %w", target, err)
	}
	bom, lines := splitLines(string(data))
	var kept strings.Builder
	kept.WriteString(bom)
	for _, raw := range lines {
		sub, ok, _ := parseURLLine(lineContent(raw))
		if ok && sub.URL == target {
			removed = append(removed, sub)
			continue
		}
		kept.WriteString(raw)
	}
	if len(removed) == 0 {
		return nil, nil
	}
	if err := replaceFile(real, kept.String(), info.Mode().Perm()); err != nil {
		return nil, fmt.Errorf("remove %s: %w", target, err)
	}
	return removed, nil
}

// replaceFile writes data to a temporary file beside path and renames it
// over path, so a crash leaves either the old list or the new one.
func replaceFile(path, data string, perm fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.WriteString(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// readBounded reads all of r, failing rather than reading past limit bytes.
func readBounded(r io.Reader, limit int64) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return "", err
	}
	if int64(len(data)) > limit {
		return "", fmt.Errorf("larger than %s", formatSize(limit))
	}
	return string(data), nil
}

// splitLines splits a file into lines that keep their terminators, so
// joining them gives the file back. A leading byte order mark is returned
// apart, so it neither hides the first line's URL nor gets lost.
func splitLines(data string) (bom string, lines []string) {
	if strings.HasPrefix(data, byteOrderMark) {
		bom, data = byteOrderMark, data[len(byteOrderMark):]
	}
	lines = strings.SplitAfter(data, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return bom, lines
}

func lineContent(raw string) string { return strings.TrimRight(raw, "\r\n") }

// parseURLLine reads one line of the feed list. ok is false for blank
// lines, comments and lines that are skipped; warnings say why.
func parseURLLine(line string) (sub news.Subscription, ok bool, warnings []string) {
	if !utf8.ValidString(line) {
		warnings = append(warnings, "not valid UTF-8; the bad bytes were replaced")
		line = strings.ToValidUTF8(line, "\uFFFD")
	}
	tokens, closed := tokenizeURLLine(line)
	if !closed {
		warnings = append(warnings, "a quoted string is not closed; it runs to the end of the line")
	}
	if len(tokens) == 0 {
		return news.Subscription{}, false, warnings
	}
	raw := news.Subscription{URL: tokens[0]}
	for _, t := range tokens[1:] {
		if title, isTitle := strings.CutPrefix(t, "~"); isTitle {
			raw.Title = title
		} else {
			raw.Tags = append(raw.Tags, t)
		}
	}
	if name, query, isQuery := cutQuery(tokens[0]); isQuery {
		raw.Title, raw.Query = cmp.Or(raw.Title, name), query
	}
	sub, err := normalizeSubscription(raw)
	if err != nil {
		return news.Subscription{}, false, append(warnings, err.Error()+"; skipped")
	}
	return sub, true, warnings
}

// tokenizeURLLine splits a line into tokens as newsboat does (see the
// top of this file). closed is false when a quoted token lacks its closing
// quote.
func tokenizeURLLine(line string) (tokens []string, closed bool) {
	isDelim := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	i := 0
	for {
		for i < len(line) && isDelim(line[i]) {
			i++
		}
		if i == len(line) || line[i] == '#' {
			return tokens, true
		}
		if line[i] != '"' {
			start := i
			for i < len(line) && !isDelim(line[i]) {
				i++
			}
			tokens = append(tokens, line[start:i])
			continue
		}
		var tok strings.Builder
		for i++; ; i++ {
			if i == len(line) {
				return append(tokens, tok.String()), false
			}
			c := line[i]
			if c == '"' {
				i++
				break
			}
			if c == '\\' {
				i++
				if i == len(line) {
					return append(tokens, tok.String()), false
				}
				c = unescape(line[i])
			}
			tok.WriteByte(c)
		}
		tokens = append(tokens, tok.String())
	}
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return c
}

// cutQuery splits a query feed's first token, query:NAME:EXPRESSION, at
// its first two colons (the expression may hold more, in a range).
// isQuery is false for any other token.
func cutQuery(token string) (name, query string, isQuery bool) {
	rest, isQuery := strings.CutPrefix(token, queryPrefix)
	if !isQuery {
		return "", "", false
	}
	name, query, _ = strings.Cut(rest, ":")
	return name, query, true
}

const queryPrefix = "query:"

// formatURLLine writes a canonical subscription as one line that
// parseURLLine reads back unchanged.
func formatURLLine(s news.Subscription) string {
	var b strings.Builder
	if s.Query != "" {
		writeQuoted(&b, s.URL)
	} else {
		b.WriteString(s.URL)
	}
	for _, tag := range s.Tags {
		b.WriteByte(' ')
		if strings.ContainsAny(tag, " \t\"\\") || strings.HasPrefix(tag, "#") {
			writeQuoted(&b, tag)
		} else {
			b.WriteString(tag)
		}
	}
	if name, _, _ := cutQuery(s.URL); s.Title != "" && (s.Query == "" || s.Title != name) {
		b.WriteByte(' ')
		writeQuoted(&b, "~"+s.Title)
	}
	return b.String()
}

func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

// ParseTagLine reads tags as a line of the feed list writes them after
// the URL: words, "quoted words", and "~A name" for the title.
func ParseTagLine(line string) (title string, tags []string) {
	tokens, _ := tokenizeURLLine(line)
	for _, t := range tokens {
		if name, isTitle := strings.CutPrefix(t, "~"); isTitle {
			title = name
		} else {
			tags = append(tags, t)
		}
	}
	return cleanText(title), tags
}

// FormatTagLine writes title and tags as ParseTagLine reads them.
func FormatTagLine(title string, tags []string) string {
	line := formatURLLine(news.Subscription{Title: title, Tags: tags})
	return strings.TrimPrefix(line, " ")
}

// LookupURL returns the subscription on the feed list's line whose URL
// is url (a query feed's is its query: token).
func LookupURL(path, url string) (news.Subscription, error) {
	list, _, err := LoadFeedList(path)
	if err != nil {
		return news.Subscription{}, err
	}
	for _, s := range append(list.Subscriptions, list.Queries...) {
		if s.URL == url {
			return s, nil
		}
	}
	return news.Subscription{}, fmt.Errorf("%s is not in the feed list %s", url, path)
}

// UpdateURL gives the line of the feed list whose URL is url the title
// and tags, and leaves every other line as it was. A query feed keeps its
// query: token, so that newsboat still reads the line. The file is
// replaced atomically; a symlinked list stays a symlink.
func UpdateURL(path, url, title string, tags []string) error {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("edit %s: %w", url, err)
	}
	info, err := os.Stat(real)
	if err != nil {
		return fmt.Errorf("edit %s: %w", url, err)
	}
	data, err := os.ReadFile(real)
	if err != nil {
		return fmt.Errorf("edit %s: %w", url, err)
	}
	bom, lines := splitLines(string(data))
	var out strings.Builder
	out.WriteString(bom)
	found := false
	for _, raw := range lines {
		sub, ok, _ := parseURLLine(lineContent(raw))
		if !ok || sub.URL != url || found {
			out.WriteString(raw)
			continue
		}
		found = true
		if name, _, _ := cutQuery(sub.URL); sub.Query != "" && strings.TrimSpace(title) == "" {
			title = name // a query feed without a ~name is named by its token
		}
		edited, err := normalizeSubscription(news.Subscription{URL: sub.URL, Title: title, Tags: tags, Query: sub.Query})
		if err != nil {
			return fmt.Errorf("edit %s: %w", url, err)
		}
		out.WriteString(formatURLLine(edited))
		out.WriteString(raw[len(lineContent(raw)):]) // the line's own ending
	}
	if !found {
		return fmt.Errorf("edit %s: not in the feed list %s", url, path)
	}
	if err := replaceFile(real, out.String(), info.Mode().Perm()); err != nil {
		return fmt.Errorf("edit %s: %w", url, err)
	}
	return nil
}
