package article

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// dropHidden removes from a feed item's HTML what a browser does not show
// as text: scripts, styles, templates, noscript fallbacks, plug-in objects
// and frames. A feed's would otherwise reach the story as paragraphs of
// source, and so would a page's where its body is not readability's pick.
// A YouTube or Vimeo frame stays, emptied, to become a numbered
// "[video: title]" link.
func dropHidden(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			switch {
			case invisible(c), notShown[c.DataAtom]:
				n.RemoveChild(c)
			case c.DataAtom == atom.Iframe:
				if _, _, ok := videoLink(attr(c, "src")); ok {
					for c.FirstChild != nil {
						c.RemoveChild(c.FirstChild) // fallback text for browsers without frames
					}
				} else {
					n.RemoveChild(c)
				}
			default:
				dropHidden(c)
			}
		}
		c = next
	}
}

// notShown are the elements besides the invisible ones whose content is
// not text to read: plug-ins, frames, a form's list of suggestions, and
// the readings printed above East Asian characters (ruby), which would
// run into the text they annotate.
var notShown = map[atom.Atom]bool{
	atom.Object: true, atom.Embed: true, atom.Applet: true, atom.Frame: true, atom.Frameset: true,
	atom.Datalist: true, atom.Canvas: true, atom.Rt: true, atom.Rp: true,
}

var (
	youTubeID = regexp.MustCompile(`^/embed/([A-Za-z0-9_-]{1,64})$`)
	vimeoID   = regexp.MustCompile(`^/video/([0-9]{1,20})$`)
)

// videoLink turns the address of an embedded YouTube or Vimeo player into
// the video's own page, which opens in a browser, and names the site.
func videoLink(src string) (page, site string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(src))
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") {
		return "", "", false
	}
	switch strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") {
	case "youtube.com", "m.youtube.com", "youtube-nocookie.com":
		if m := youTubeID.FindStringSubmatch(u.Path); m != nil {
			return "https://www.youtube.com/watch?v=" + m[1], "YouTube", true
		}
	case "player.vimeo.com":
		if m := vimeoID.FindStringSubmatch(u.Path); m != nil {
			return "https://vimeo.com/" + m[1], "Vimeo", true
		}
	}
	return "", "", false
}

// videoTitle is what a video frame is called: its title, else its site.
func videoTitle(iframe *html.Node, site string) string {
	if title := strings.Join(strings.Fields(attr(iframe, "title")), " "); title != "" {
		return title
	}
	return site
}

// renderVideo writes a numbered video frame as its own "[video: title] [5]"
// line, the way renderImage writes an image; any other frame is dropped.
func renderVideo(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	num := numberOf(ctx, n)
	_, site, ok := videoLink(attr(n, "src"))
	if num == 0 || !ok {
		return converter.RenderSuccess
	}
	w.WriteString("\n\n[video: ")
	w.Write(ctx.EscapeContent([]byte(videoTitle(n, site))))
	w.WriteString("] ")
	w.WriteString(marker(num))
	w.WriteString("\n\n")
	return converter.RenderSuccess
}

// minNoscriptText is how much markup a <noscript> must hold to be read as
// the page: less is a tracking pixel or "please enable JavaScript".
const minNoscriptText = 200

// enableScript matches a fallback that asks for JavaScript rather than
// giving the page without it: what follows is the page's notices (a
// consent box, a log-in), not its story.
var enableScript = lazyCompile(`(?i)\b(enable|activate|turn on|switch on|allow)\b.{0,30}\bjavascript\b|\bjavascript\b.{0,30}\b(disabled|required|needed|aktivieren|deaktiviert)\b|\b(activer|activez|activa|habilita|habilitar|attiva)\b.{0,20}\bjavascript\b`)

// openNoscripts replaces each <noscript> of a page's body that holds a
// page's worth of markup with that markup, parsed. The HTML parser keeps
// a noscript's content as text; pages that draw their story with script
// put the story there for browsers without it.
func openNoscripts(doc *html.Node) {
	var found []*html.Node
	for n := range descendants(doc, atom.Noscript) {
		if t := n.FirstChild; t != nil && t.Type == html.TextNode && t.NextSibling == nil &&
			len(t.Data) >= minNoscriptText && strings.Contains(t.Data, "<p") && !enableScript.MatchString(t.Data) {
			found = append(found, n)
		}
	}
	for _, n := range found {
		if n.Parent == nil || n.Parent.Type != html.ElementNode || n.Parent.DataAtom == atom.Head {
			continue
		}
		nodes, err := html.ParseFragment(strings.NewReader(n.FirstChild.Data), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
		if err != nil {
			continue
		}
		div := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
		for _, c := range nodes {
			div.AppendChild(c)
		}
		n.Parent.InsertBefore(div, n)
		n.Parent.RemoveChild(n)
	}
}

// dropUnseen removes what a page hides from its readers, judged as
// readability judges it: display:none or visibility:hidden in the style,
// the hidden attribute, aria-hidden (but for the fallback images of
// formulas), and modal dialogs. Readability leaves it out of its own pick;
// taken out of the page first, it cannot make another candidate look
// longer than readability's with text no one sees.
func dropUnseen(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			if unseen(c) {
				n.RemoveChild(c)
			} else {
				dropUnseen(c)
			}
		}
		c = next
	}
}

var hiddenStyle = regexp.MustCompile(`(?i)display\s*:\s*none|visibility\s*:\s*hidden`)

func unseen(n *html.Node) bool {
	if style := attr(n, "style"); style != "" && hiddenStyle.MatchString(style) {
		return true
	}
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == "hidden" {
			return true
		}
	}
	if attr(n, "aria-hidden") == "true" && !strings.Contains(attr(n, "class"), "fallback-image") {
		return true
	}
	return attr(n, "aria-modal") == "true" && attr(n, "role") == "dialog"
}
