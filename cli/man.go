package cli

import (
	"fmt"
	"strings"

	mcobra "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"

	"github.com/bylinehq/byline/ui"
)

// newManCmd prints the man page: the commands and flags from cobra (as
// fang's hidden one did), the reader's keys from the key map its help
// screen shows, and the files, environment and examples a man page has.
func newManCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "man",
		Short: "Print the man page (roff): man <(byline man)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			root := cmd.Root()
			page, err := mcobra.NewManPage(1, root)
			if err != nil {
				return err
			}
			doc := roff.NewDocument()
			page.WithLongDescription(roffText(unwrapParagraphs(root.Long))).Build(doc)
			writeKeys(doc)
			writeSections(doc)
			_, err = fmt.Fprint(e.stdout, doc.String())
			return err
		},
	}
}

// roffText readies text for the roff builder, which uses it as a Printf
// format: "%AppData%" came out as "%!A(MISSING)ppData".
func roffText(s string) string { return strings.ReplaceAll(s, "%", "%%") }

// unwrapParagraphs joins the lines of each paragraph of a help text: the
// roff builder starts a paragraph at every newline, which broke the
// description mid-sentence.
func unwrapParagraphs(text string) string {
	paragraphs := strings.Split(strings.TrimSpace(text), "\n\n")
	for i, p := range paragraphs {
		paragraphs[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(paragraphs, "\n")
}

func writeKeys(doc *roff.Document) {
	doc.Section("Keys")
	doc.Text("The reader's keys, as its help screen (?) shows them. Each can be rebound in config.toml under [keys], by the name in parentheses: action = [\"key\", ...].")
	for _, a := range ui.DefaultKeyMap().Actions() {
		doc.TaggedParagraph(-1)
		for i, k := range a.Binding.Keys() {
			if i > 0 {
				doc.Text(", ")
			}
			doc.TextBold(roffText(k))
		}
		doc.EndSection()
		doc.Text(roffText(a.Binding.Help().Desc + " (" + a.Name + ")"))
	}
	doc.Paragraph()
	doc.Text("Not rebindable: digits in the reader (they type a link number, then enter follows it), y and n answering a question, and enter, esc and the arrows while a text field has the focus.")
}

// manSections are the man page's sections after KEYS: one paragraph per
// line, each an item under a bold tag when it has a tab.
var manSections = []struct{ name, text string }{
	{"Files", "The feed list, in newsboat's urls format: one URL per line, then tags; a quoted \"~title\" renames the feed.\t$XDG_CONFIG_HOME/byline/urls\n" +
		"Settings (optional): every key, its default and its range are in the README.\t$XDG_CONFIG_HOME/byline/config.toml\n" +
		"The cache: articles, read and starred state, pages kept for reading offline.\t$XDG_DATA_HOME/byline/byline.db\n" +
		"Without the XDG variables, the operating system's directories (~/.config and ~/.local/share; macOS ~/Library/Application Support; Windows %AppData% and %LocalAppData%). With --home DIR or BYLINE_HOME, all of them are in DIR."},
	{"Environment", "Keep config and data under this directory, like --home.\tBYLINE_HOME\n" +
		"Where the feed list and settings, and the cache, live.\tXDG_CONFIG_HOME, XDG_DATA_HOME\n" +
		"The command that opens links, when config.toml sets no browser (the first of a colon-separated list).\tBROWSER\n" +
		"No colours: the reader and read --format ansi use only bold, underline and reverse.\tNO_COLOR\n" +
		"The terminal's colours as \"fg;bg\": the reader's auto theme and read --format ansi go by it when the terminal does not say.\tCOLORFGBG\n" +
		"Proxies for fetching; loopback addresses never use one.\tHTTP_PROXY, HTTPS_PROXY, NO_PROXY"},
	{"Examples", "Open the reader.\tbyline\n" +
		"Try byline without touching your own files.\thome=$(mktemp -d); byline --home \"$home\" refresh; byline --home \"$home\" list --unread\n" +
		"Subscribe to a site's feed, tagged.\tbyline add https://example.com/blog tech\n" +
		"Move from newsboat.\tnewsboat -e > feeds.opml; byline import feeds.opml\n" +
		"A cron job: refresh, keeping the pages of new articles for reading offline.\tbyline refresh --full-text\n" +
		"The ten newest unread articles, for a script.\tbyline list --unread --limit 10 --json\n" +
		"Read an article in the terminal, or a saved page.\tbyline read 42; byline read page.html --base-url https://example.com/story\n" +
		"Mark everything of one feed read.\tbyline mark read --all --feed \"World Desk\""},
}

func writeSections(doc *roff.Document) {
	for _, s := range manSections {
		doc.Section(s.name)
		for _, line := range strings.Split(s.text, "\n") {
			text, tag, tagged := strings.Cut(line, "\t")
			if !tagged {
				doc.Paragraph()
				doc.Text(roffText(text))
				continue
			}
			doc.TaggedParagraph(-1)
			doc.TextBold(roffText(tag))
			doc.EndSection()
			doc.Text(roffText(text))
		}
	}
}
