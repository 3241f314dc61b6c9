package article

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// SiteRule tells byline where one site keeps its stories, for the sites
// the generic method reads badly. It applies before the generic method,
// and only on its host.
type SiteRule struct {
	// Host is the site's host name, "example.com" (which also covers
	// www.example.com), or "*.example.com" for it and every subdomain.
	Host string
	// Body is a CSS selector for the story's body; every element it
	// matches is part of it, in page order. When nothing matches, the
	// generic method reads the page.
	Body string
	// Strip lists CSS selectors of what to remove from the page first.
	Strip []string
	// Follow is a CSS selector for a link to the story on one page or in
	// its print version, which is fetched and read instead.
	Follow string
}

// SiteRules are the rules in force. The zero value and nil have none.
type SiteRules struct {
	rules []siteRule
}

type siteRule struct {
	host         string // lower-cased, without "*." and "www."
	subdomains   bool
	body, follow cascadia.Matcher
	strip        []cascadia.Matcher
}

// NewSiteRules checks and compiles rules; the first mistake is an error
// naming the rule's host.
func NewSiteRules(rules []SiteRule) (*SiteRules, error) {
	out := &SiteRules{}
	for _, r := range rules {
		compiled, err := compileRule(r)
		if err != nil {
			return nil, fmt.Errorf("site rule for %q: %w", r.Host, err)
		}
		out.rules = append(out.rules, compiled)
	}
	return out, nil
}

// CheckSiteRule reports what is wrong with a rule: a bad host pattern or
// CSS selector.
func CheckSiteRule(r SiteRule) error {
	_, err := compileRule(r)
	return err
}

func compileRule(r SiteRule) (siteRule, error) {
	host := strings.ToLower(strings.TrimSpace(r.Host))
	c := siteRule{}
	if rest, ok := strings.CutPrefix(host, "*."); ok {
		host, c.subdomains = rest, true
	}
	host = strings.TrimPrefix(host, "www.")
	if host == "" || strings.ContainsAny(host, "*/:?# ") || !strings.Contains(host, ".") && host != "localhost" {
		return c, fmt.Errorf("host %q: want a host name such as example.com or *.example.com", r.Host)
	}
	c.host = host
	var err error
	if r.Body != "" {
		if c.body, err = cascadia.Compile(r.Body); err != nil {
			return c, fmt.Errorf("body %q: %w", r.Body, err)
		}
	}
	if r.Follow != "" {
		if c.follow, err = cascadia.Compile(r.Follow); err != nil {
			return c, fmt.Errorf("follow %q: %w", r.Follow, err)
		}
	}
	for _, s := range r.Strip {
		sel, err := cascadia.Compile(s)
		if err != nil {
			return c, fmt.Errorf("strip %q: %w", s, err)
		}
		c.strip = append(c.strip, sel)
	}
	if c.body == nil && c.follow == nil && len(c.strip) == 0 {
		return c, fmt.Errorf("the rule says nothing: give body, strip or follow")
	}
	return c, nil
}

// forURL returns the rule for a page's host, or nil.
func (r *SiteRules) forURL(pageURL string) *siteRule {
	if r == nil || len(r.rules) == 0 {
		return nil
	}
	u, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	for i := range r.rules {
		rule := &r.rules[i]
		if host == rule.host || rule.subdomains && strings.HasSuffix(host, "."+rule.host) {
			return rule
		}
	}
	return nil
}

// Extract is the package's Extract with the rule for the page's host, if
// there is one.
func (r *SiteRules) Extract(body []byte, contentType, pageURL string) (*Article, error) {
	return extract(body, contentType, pageURL, r.forURL(pageURL))
}

// SinglePage returns the address of the story on one page (or its print
// version) when the page's host has a rule that follows such a link and
// the page has one, pointing elsewhere than the page itself.
func (r *SiteRules) SinglePage(body []byte, contentType, pageURL string) (string, bool) {
	rule := r.forURL(pageURL)
	if rule == nil || rule.follow == nil || checkHTML(body, contentType) != nil {
		return "", false
	}
	doc, err := html.Parse(bytes.NewReader(decodeHTML(body, contentType)))
	if err != nil {
		return "", false
	}
	link := cascadia.Query(doc, rule.follow)
	if link == nil {
		return "", false
	}
	if link.DataAtom != atom.A {
		for a := range descendants(link, atom.A) {
			link = a
			break
		}
	}
	target, followable, ok := resolveLink(readPageMeta(doc, pageURL).base, attr(link, "href"))
	if !ok || !followable || target == pageURL || !strings.HasPrefix(target, "http") {
		return "", false
	}
	return target, true
}

// stripFrom removes what the rule's strip selectors match.
func (rule *siteRule) stripFrom(doc *html.Node) {
	for _, sel := range rule.strip {
		for _, n := range cascadia.QueryAll(doc, sel) {
			detach(n)
		}
	}
}

// bodyOf returns the elements the rule's body selector matches, gathered
// in one <div>, or nil.
func (rule *siteRule) bodyOf(doc *html.Node) *html.Node {
	if rule == nil || rule.body == nil {
		return nil
	}
	matches := cascadia.QueryAll(doc, rule.body)
	if len(matches) == 0 {
		return nil
	}
	div := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, m := range matches {
		if m.Parent == nil || hasAncestor(m, matches) {
			continue // inside another match, which brings it along
		}
		detach(m)
		div.AppendChild(m)
	}
	return div
}

func hasAncestor(n *html.Node, among []*html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		for _, m := range among {
			if p == m {
				return true
			}
		}
	}
	return false
}
