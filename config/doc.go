// Package config finds byline's files and reads and writes them: where they
// live (XDG directories or --home), the settings in config.toml, the feed
// list in newsboat's urls format, and OPML import and export.
//
// Every file here is written by hand or by another program, so nothing in
// this package trusts its input: bad values are reported with the file and
// line they came from, and lines byline cannot use are skipped with a
// warning rather than failing the whole list.
package config
