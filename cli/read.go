package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/cache"
	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/feed"
	"github.com/bylinehq/byline/news"
	"github.com/bylinehq/byline/picture"
	"github.com/bylinehq/byline/reader"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
)

func newReadCmd(e *env) *cobra.Command {
	var format, style, baseURL, images string
	var width int
	cmd := &cobra.Command{
		Use:   "read TARGET",
		Short: "Print an article: an ID from byline list, a URL, or a local HTML file",
		Long: `Print an article as byline reads it: the story alone, its links numbered.

TARGET is an article ID (from byline list), a URL, or a local HTML file
(--base-url says where it came from, for its relative links). A page read
once is kept, so it reads again offline.

Formats: text (plain paragraphs, for pipes), markdown (title, metadata, body
with [n] link markers, then the Links and Related lists), ansi (what the
reader shows, with the story's pictures drawn as --images or the images
setting says) and json. The other formats keep each picture's
"[image: alt] [n]" line.`,
		Example: "byline read 42\nbyline read https://example.com/story --format markdown\nbyline read page.html --base-url https://example.com/story --format json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "text", "markdown", "ansi", "json":
			default:
				return fmt.Errorf("--format %q: want text, markdown, ansi or json", format)
			}
			if images != "" {
				mode, err := picture.ParseMode(images)
				if err != nil {
					return fmt.Errorf("--images: %w", err)
				}
				if err := e.load(); err != nil {
					return err
				}
				e.settings.Images = mode
			}
			a, err := e.readTarget(cmd.Context(), args[0], baseURL)
			if err != nil {
				return err
			}
			if a.Notice != "" {
				fmt.Fprintln(e.stderr, "byline: "+a.Notice)
			}
			switch format {
			case "text":
				fmt.Fprintln(e.stdout, a.PlainText())
			case "markdown":
				fmt.Fprint(e.stdout, a.MarkdownDocument())
			case "json":
				out, err := a.JSON()
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, string(out))
			case "ansi":
				if width <= 0 {
					width = terminalWidth()
				}
				if style == "" {
					style = string(envStyle(os.Getenv))
				}
				out, err := article.RenderPictures(a, width, article.Style(style), e.pictureSettings(e.settings.Images))
				if err != nil {
					return err
				}
				fmt.Fprint(e.stdout, out.Stream())
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "output format: text, markdown, ansi or json")
	f.IntVar(&width, "width", 0, "wrap ansi output at N columns (default: the terminal's width, else 80)")
	f.StringVar(&style, "style", "", "colours of the ansi format: dark, light or plain (default: plain with $NO_COLOR, else what $COLORFGBG says, else dark)")
	f.StringVar(&baseURL, "base-url", "", "for a local file: the URL it was saved from")
	f.StringVar(&images, "images", "", "pictures in the ansi format: auto, kitty, sixel, iterm, halfblocks or none (default: the images setting)")
	return cmd
}

func newLinksCmd(e *env) *cobra.Command {
	var asJSON bool
	var baseURL string
	cmd := &cobra.Command{
		Use:   "links TARGET",
		Short: "List an article's numbered links (related ones marked)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := e.readTarget(cmd.Context(), args[0], baseURL)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(e.stdout, append([]article.Link{}, a.Links...))
			}
			for _, l := range a.Links {
				var notes []string
				if l.Related {
					notes = append(notes, "related")
				}
				if !l.Followable {
					notes = append(notes, "not openable")
				}
				line := fmt.Sprintf("[%d] %s — %s", l.N, l.Text, l.URL)
				if len(notes) > 0 {
					line += " (" + strings.Join(notes, ", ") + ")"
				}
				fmt.Fprintln(e.stdout, line)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&baseURL, "base-url", "", "for a local file: the URL it was saved from")
	return cmd
}

// readTarget resolves read's and links' TARGET: an article ID, a URL or a file.
func (e *env) readTarget(ctx context.Context, target, baseURL string) (*article.Article, error) {
	if id, err := strconv.ParseInt(target, 10, 64); err == nil {
		store, err := e.openCache()
		if err != nil {
			return nil, err
		}
		defer store.Close()
		a, err := store.Article(ctx, id)
		if errors.Is(err, cache.ErrNotFound) {
			return nil, fmt.Errorf("no article has the ID %d (see `byline list`)", id)
		} else if err != nil {
			return nil, err
		}
		return e.reader(store, e.fetcher()).Story(ctx, a, "")
	}
	if isWebURL(target) {
		store, err := e.openCache()
		if err != nil {
			return nil, err
		}
		defer store.Close()
		return e.reader(store, e.fetcher()).Fetch(ctx, target)
	}
	body, err := os.ReadFile(target)
	if err != nil {
		return nil, fmt.Errorf("read %s: not an article ID, an http(s) URL or a readable file: %w", target, err)
	}
	if baseURL == "" {
		// A relative path made "file://site/page.html", whose host is
		// "site": the file's absolute path is where its links lead.
		abs, err := filepath.Abs(target)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", target, err)
		}
		baseURL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	}
	rules, err := e.siteRules()
	if err != nil {
		return nil, err
	}
	return rules.Extract(body, localContentType(target), baseURL)
}

// localContentType is what a file's name says it is. A file named .html or
// .htm is a web page, however it starts (the sniffer does not know every
// way a page can); other names leave it to the bytes.
func localContentType(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm":
		return "text/html"
	case ".xhtml", ".xht":
		return "application/xhtml+xml"
	}
	return ""
}

func (e *env) reader(store *cache.Store, fetcher *feed.Fetcher) *reader.Service {
	// Only per-feed overrides need the feed list; most configs have none.
	feedURLs := map[int64]string{}
	if len(e.settings.Feeds) > 0 {
		if feeds, err := store.Feeds(context.Background()); err == nil {
			for _, f := range feeds {
				feedURLs[f.ID] = f.URL
			}
		}
	}
	svc := reader.New(store, fetcher, func(a news.Article) config.FullText {
		return e.settings.FullTextFor(feedURLs[a.FeedID])
	})
	if e.settings.Images == picture.ModeNone {
		svc.DisablePictures()
	}
	if rules, err := e.siteRules(); err == nil {
		svc.UseSiteRules(rules)
	} else {
		fmt.Fprintln(e.stderr, "byline:", err)
	}
	return svc
}

// siteRules compiles the [[site]] tables of config.toml and of the rules
// file beside it.
func (e *env) siteRules() (*article.SiteRules, error) {
	if err := e.load(); err != nil {
		return nil, err
	}
	file := config.SitesPath(e.paths.ConfigDir)
	sites, err := config.LoadSites(file)
	if err != nil {
		return nil, err
	}
	var rules []article.SiteRule
	for _, s := range append(append([]config.Site(nil), e.settings.Sites...), sites...) {
		rules = append(rules, article.SiteRule{Host: s.Host, Body: s.Body, Strip: s.Strip, Follow: s.Follow})
	}
	compiled, err := article.NewSiteRules(rules)
	if err != nil {
		return nil, fmt.Errorf("site rules (config.toml, %s): %w", file, err)
	}
	return compiled, nil
}

// envStyle is read --format ansi's style when --style is not given:
// plain under NO_COLOR (https://no-color.org), else the background
// COLORFGBG names, else dark.
func envStyle(getenv func(string) string) article.Style {
	if getenv("NO_COLOR") != "" {
		return article.StylePlain
	}
	if dark, known := config.DarkBackground(getenv("COLORFGBG")); known && !dark {
		return article.StyleLight
	}
	return article.StyleDark
}

func terminalWidth() int {
	if w, _, err := term.GetSize(os.Stdout.Fd()); err == nil && w > 0 {
		return w
	}
	return 80
}
