package article

import (
	"errors"
	"testing"
)

func TestCheckHTMLSniffsPastThePrologue(t *testing.T) {
	for _, tt := range []struct {
		body, contentType string
		html              bool
	}{
		{"<!--[if i]><![endif]-->\n<html><body><p>x</p></body></html>", "", true},
		{"\xef\xbb\xbf  <!-- a --><!--[if lt IE 9]><script></script><![endif]--><!DOCTYPE html><p>x", "text/plain; charset=utf-8", true},
		{`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html xmlns="http://www.w3.org/1999/xhtml">`, "application/octet-stream", true},
		{"<!--[if i]><![endif]--> just words, no markup", "", false},
		{"Dear reader, <html> is a tag.", "text/plain", false},
		// XHTML served as XML; a doctype broken over lines; a page that
		// opens with its <meta> tags.
		{`<?xml version="1.0"?>` + "\n<!DOCTYPE html\n  PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"x\">\n<html>", "text/xml", true},
		{"\t\t  <!DOCTYPE html\n    PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">", "", true},
		{`<meta property="og:title" content="x" /><meta charset="utf-8">`, "", true},
		{`<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`, "text/xml", false},
		// The header decides when it names a type.
		{"<!--[if i]><![endif]--><html><p>x", "application/pdf", false},
		{"plain words", "text/html", true},
	} {
		err := checkHTML([]byte(tt.body), tt.contentType)
		if got := err == nil; got != tt.html {
			t.Errorf("checkHTML(%q, %q) = %v; want HTML: %v", tt.body, tt.contentType, err, tt.html)
		}
		if err != nil && !errors.Is(err, ErrNotHTML) {
			t.Errorf("checkHTML(%q): %v does not wrap ErrNotHTML", tt.body, err)
		}
	}
}
