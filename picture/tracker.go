package picture

import (
	"net/url"
	"strings"
)

// trackerHosts serve images that exist to count readers: web beacons,
// feed and mail analytics. Their images are not fetched, whatever size
// they claim, so the request that reports the reading is never made.
var trackerHosts = []string{
	"pixel.wp.com", "stats.wp.com", "pixel.quantserve.com", "sb.scorecardresearch.com",
	"www.google-analytics.com", "google-analytics.com", "stats.g.doubleclick.net", "ad.doubleclick.net",
	"www.facebook.com", "bat.bing.com", "feeds.feedburner.com", "feedproxy.google.com",
	"pixel.mathtag.com", "px.ads.linkedin.com", "t.co", "analytics.twitter.com",
	"pixel.parsely.com", "ping.chartbeat.net", "b.scorecardresearch.com", "www.assoc-amazon.com",
	"counter.yadro.ru", "mc.yandex.ru", "pi.pardot.com", "links.substack.com",
}

// trackerPaths mark beacons on hosts that also serve real pictures.
var trackerPaths = []string{"/pixel", "/beacon", "/tracking", "/track/", "/open.gif", "/~r/", "/1x1", "/spacer.gif"}

// IsTracker reports whether an image URL is a known tracking pixel's.
func IsTracker(imageURL string) bool {
	u, err := url.Parse(imageURL)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	for _, h := range trackerHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	path := strings.ToLower(u.Path)
	for _, p := range trackerPaths {
		if strings.Contains(path, p) {
			return true
		}
	}
	return false
}
