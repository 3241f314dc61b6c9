package feed

import _ "embed"

// welcomeXML is the feed behind WelcomeURL: a few articles that introduce
// byline, readable offline on first start.
//
//go:embed welcome/welcome.xml
var welcomeXML []byte
