package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/ui"
	"github.com/spf13/cobra"
)

func newMigrateCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate [NEWSBOAT_DIR]",
		Short: "Bring newsboat's feed list and settings over (tags, names, query feeds, ignore-article)",
		Long: `Read newsboat's urls and config files from NEWSBOAT_DIR (default: ~/.newsboat,
else $XDG_CONFIG_HOME/newsboat) and make byline's from them.

The urls file is newsboat's format, query feeds included: it is copied as it
is when byline has none yet; otherwise the feeds and query feeds byline lacks
are added to byline's. From config, ignore-article rules become [[ignore]]
tables of config.toml, and the settings both readers have (auto-reload and
reload-time, max-items, keep-articles-days, browser, user-agent, save-path,
notify-program, refresh-on-startup) become byline's; a setting config.toml
has already is kept. What is not carried over is listed. newsboat's files
are only read, and read and starred state stays in newsboat's cache.`,
		Example: "byline migrate\nbyline migrate ~/.config/newsboat",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := e.load(); err != nil {
				return err
			}
			dir, err := newsboatDir(args)
			if err != nil {
				return err
			}
			if err := e.migrateURLs(filepath.Join(dir, "urls")); err != nil {
				return err
			}
			return e.migrateConfig(filepath.Join(dir, "config"))
		},
	}
}

// newsboatDir is where newsboat keeps its files: the directory given, else
// the first of newsboat's own places that has a urls file.
func newsboatDir(args []string) (string, error) {
	if len(args) == 1 {
		return args[0], nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("migrate: %w", err)
	}
	xdg := os.Getenv("XDG_CONFIG_HOME")
	if xdg == "" {
		xdg = filepath.Join(home, ".config")
	}
	candidates := []string{filepath.Join(home, ".newsboat"), filepath.Join(xdg, "newsboat")}
	for _, dir := range candidates {
		if _, err := os.Stat(filepath.Join(dir, "urls")); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("migrate: no newsboat urls file in %s or %s; give newsboat's directory", candidates[0], candidates[1])
}

func (e *env) migrateURLs(from string) error {
	list, warnings, err := config.LoadFeedList(from)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "byline: %s:%d: %s\n", from, w.Line, w.Text)
	}
	to := e.paths.URLsFile()
	if _, err := os.Stat(to); errors.Is(err, fs.ErrNotExist) {
		data, err := os.ReadFile(from)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if err := os.WriteFile(to, data, 0o644); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		fmt.Fprintf(e.stdout, "Copied %s to %s: %d feeds, %d query feeds\n", from, to, len(list.Subscriptions), len(list.Queries))
		return nil
	}
	added := 0
	for _, s := range append(list.Subscriptions, list.Queries...) {
		err := config.AddURL(to, s)
		if errors.Is(err, config.ErrDuplicate) {
			continue
		}
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		added++
	}
	fmt.Fprintf(e.stdout, "Added %d of newsboat's %d feeds and query feeds to %s (the others were there)\n",
		added, len(list.Subscriptions)+len(list.Queries), to)
	return nil
}

func (e *env) migrateConfig(from string) error {
	f, err := os.Open(from)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(e.stdout, "No %s: no settings to bring over\n", from)
		return nil
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer f.Close()
	nb, err := config.ConvertNewsboatConfig(f)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", from, err)
	}
	to := e.paths.SettingsFile()
	existing, err := os.ReadFile(to)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("migrate: %w", err)
	}
	merged, kept, err := config.MergeNewsboat(existing, nb)
	if err != nil {
		return fmt.Errorf("migrate: %s: %w", to, err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := os.WriteFile(to, merged, 0o644); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// The file must load as byline will read it; if it does not, the user's
	// own file is put back.
	if _, err := config.LoadSettings(to, ui.CheckKeys); err != nil {
		if existing != nil {
			err = errors.Join(err, os.WriteFile(to, existing, 0o644))
		} else {
			err = errors.Join(err, os.Remove(to))
		}
		return fmt.Errorf("migrate: the settings made from %s do not load, so %s is as it was: %w", from, to, err)
	}
	fmt.Fprintf(e.stdout, "Wrote %d settings and the ignore-article rules of %s to %s\n", len(nb.Settings)-len(kept), from, to)
	for _, key := range kept {
		fmt.Fprintf(e.stdout, "  %s: config.toml sets it already; yours is kept\n", key)
	}
	for _, n := range nb.Notes {
		fmt.Fprintf(e.stdout, "  %s:%d: %s\n", from, n.Line, n.Text)
	}
	return nil
}
