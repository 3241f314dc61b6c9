package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
)

// The [[site]] tables, in config.toml or in sites.toml beside it, are
// per-site extraction rules:
//
//	[[site]]
//	host = "*.example.com"             # a host, or *. and a domain for all its hosts
//	body = "div.story-text"            # CSS selector of the story's body
//	strip = [".promo", "aside.more"]   # CSS selectors of what to remove first
//	follow = "a.print-version"         # CSS selector of a one-page or print link to read instead
//
// config checks their shape; the extractor (article.NewSiteRules) checks
// the host pattern and the selectors when it compiles them.

// SitesFile is the name of the rules file in the config directory.
const SitesFile = "sites.toml"

// Site is one [[site]] table.
type Site struct {
	// Host (host) is the site's host name, or "*." and a domain.
	Host string
	// Body (body) is a CSS selector for the story's body.
	Body string
	// Strip (strip) lists CSS selectors of what to remove first.
	Strip []string
	// Follow (follow) is a CSS selector for a link to the story on one
	// page, or its print version, to read instead.
	Follow string
}

var siteKeys = []string{"host", "body", "strip", "follow"}

func (d *settingsDecoder) siteTable(t map[string]toml.Primitive, at func(string) int) error {
	var site Site
	for _, key := range sortedByLine(t, at) {
		path := "site." + key
		var err error
		switch key {
		case "host", "body", "follow":
			dst := map[string]*string{"host": &site.Host, "body": &site.Body, "follow": &site.Follow}[key]
			err = d.tableValue(path, at(key), t[key], func(raw any) error {
				s, err := toString[string](raw)
				*dst = s
				return err
			})
		case "strip":
			err = d.tableValue(path, at(key), t[key], func(raw any) error {
				list, err := toSelectorList(raw)
				site.Strip = list
				return err
			})
		default:
			err = d.unknownInTable("site", key, at(key), siteKeys)
		}
		if err != nil {
			return err
		}
	}
	if site.Host == "" {
		return &SettingsError{File: d.file, Line: at(""), Key: "site", Err: errors.New(`[[site]] needs host = "…", the site's host name such as "example.com" or "*.example.com"`)}
	}
	if site.Body == "" && site.Follow == "" && len(site.Strip) == 0 {
		return &SettingsError{File: d.file, Line: at(""), Key: "site", Err: fmt.Errorf("[[site]] for %q needs body, strip or follow", site.Host)}
	}
	d.s.Sites = append(d.s.Sites, site)
	return nil
}

// LoadSites reads the [[site]] tables of a rules file such as sites.toml
// in the config directory; a missing file has none. The file holds
// nothing else.
func LoadSites(path string) ([]Site, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read site rules: %w", err)
	}
	var top map[string]toml.Primitive
	md, err := toml.Decode(string(data), &top)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &SettingsError{File: path, Line: pe.Position.Line, Err: errors.New(pe.Message)}
		}
		return nil, &SettingsError{File: path, Err: err}
	}
	var s Settings
	d := settingsDecoder{file: path, data: string(data), md: &md, s: &s, tables: map[string]map[string]toml.Primitive{"": top}}
	for _, key := range md.Keys() {
		if len(key) != 1 {
			continue
		}
		if key[0] != "site" {
			return nil, d.value(key, top[key[0]], func(any) error {
				return fmt.Errorf("unknown key: %s holds only [[site]] tables", SitesFile)
			})
		}
		if err := d.arrayOfTables("site", top["site"]); err != nil {
			return nil, err
		}
	}
	return s.Sites, nil
}

// SitesPath is where the rules file of a config directory is.
func SitesPath(configDir string) string { return filepath.Join(configDir, SitesFile) }

// toSelectorList reads one CSS selector or a list of them.
func toSelectorList(raw any) ([]string, error) {
	if s, ok := raw.(string); ok {
		return []string{s}, nil
	}
	items, ok := raw.([]any)
	if !ok {
		return nil, typeError(`a list of CSS selectors such as [".promo", "aside.more"]`, raw)
	}
	list := make([]string, 0, len(items))
	for _, item := range items {
		s, ok := item.(string)
		if !ok {
			return nil, fmt.Errorf("must hold only strings, got %s", describeTOML(item))
		}
		list = append(list, s)
	}
	return list, nil
}
