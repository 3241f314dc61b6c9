package config

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// HomeEnv names the environment variable that plays the part of --home.
const HomeEnv = "BYLINE_HOME"

// appDir is the directory byline adds under the per-user base directories.
const appDir = "byline"

// dirMode is the mode of directories byline creates. The XDG Base Directory
// spec asks for 0700, and the feed list says enough about a person to keep
// it private by default.
const dirMode = 0o700

// Paths are the two directories byline keeps its files in: ConfigDir holds
// what the user edits (urls, config.toml), DataDir what byline writes
// itself (the cache database and the log).
type Paths struct {
	ConfigDir string
	DataDir   string
}

// ResolvePaths decides where byline's files live.
//
// A non-empty home (the --home flag), or else $BYLINE_HOME, puts every file
// directly in that one directory, which makes a portable or throwaway setup
// a single flag. $BYLINE_HOME set but empty is an error, not the default
// directories: it is a variable that expanded to nothing, and the user
// meant some other place than their real files. Otherwise the config directory is $XDG_CONFIG_HOME/byline
// and the data directory $XDG_DATA_HOME/byline; when those variables are
// unset (or, as the XDG spec says, relative) the per-OS defaults apply:
//
//	Linux, BSD:  ~/.config/byline                        ~/.local/share/byline
//	macOS:       ~/Library/Application Support/byline    (the same directory)
//	Windows:     %AppData%\byline                        %LocalAppData%\byline
//
// ResolvePaths creates nothing; see Paths.Ensure.
func ResolvePaths(home string) (Paths, error) {
	return resolvePaths(home, runtime.GOOS)
}

func resolvePaths(home, goos string) (Paths, error) {
	if home == "" {
		if dir, set := os.LookupEnv(HomeEnv); set && dir == "" {
			return Paths{}, fmt.Errorf("$%s is set but empty: set it to a directory, or unset it to use the usual directories", HomeEnv)
		} else {
			home = dir
		}
	}
	if home != "" {
		// An absolute path keeps the database where the user meant it even
		// if something later changes the working directory.
		dir, err := filepath.Abs(home)
		if err != nil {
			return Paths{}, fmt.Errorf("home directory %s: %w", home, err)
		}
		return Paths{ConfigDir: dir, DataDir: dir}, nil
	}
	configBase, err := baseDir("XDG_CONFIG_HOME", goos, configDefaults)
	if err != nil {
		return Paths{}, fmt.Errorf("config directory: %w", err)
	}
	dataBase, err := baseDir("XDG_DATA_HOME", goos, dataDefaults)
	if err != nil {
		return Paths{}, fmt.Errorf("data directory: %w", err)
	}
	return Paths{
		ConfigDir: filepath.Join(configBase, appDir),
		DataDir:   filepath.Join(dataBase, appDir),
	}, nil
}

// osDefault says where a per-user base directory is when no XDG variable
// names it: either an environment variable (Windows) or a path under the
// home directory.
type osDefault struct {
	env       string
	underHome string
}

var configDefaults = map[string]osDefault{
	"windows": {env: "AppData"},
	"darwin":  {underHome: "Library/Application Support"},
	"ios":     {underHome: "Library/Application Support"},
	"":        {underHome: ".config"},
}

var dataDefaults = map[string]osDefault{
	"windows": {env: "LocalAppData"},
	"darwin":  {underHome: "Library/Application Support"},
	"ios":     {underHome: "Library/Application Support"},
	"":        {underHome: ".local/share"},
}

// baseDir returns the XDG variable xdgEnv when it holds an absolute path,
// else the default for goos (the "" entry covers every Unix).
func baseDir(xdgEnv, goos string, defaults map[string]osDefault) (string, error) {
	if dir := os.Getenv(xdgEnv); filepath.IsAbs(dir) {
		return dir, nil
	}
	def, ok := defaults[goos]
	if !ok {
		def = defaults[""]
	}
	if def.env != "" {
		dir := os.Getenv(def.env)
		if dir == "" {
			return "", fmt.Errorf("%%%s%% is not set", def.env)
		}
		return dir, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, filepath.FromSlash(def.underHome)), nil
}

// URLsFile is the feed list, in newsboat's urls format.
func (p Paths) URLsFile() string { return filepath.Join(p.ConfigDir, "urls") }

// SettingsFile is config.toml. It is optional.
func (p Paths) SettingsFile() string { return filepath.Join(p.ConfigDir, "config.toml") }

// DBFile is the SQLite cache of feeds and articles.
func (p Paths) DBFile() string { return filepath.Join(p.DataDir, "byline.db") }

// LogFile is where byline logs, since the TUI owns the terminal.
func (p Paths) LogFile() string { return filepath.Join(p.DataDir, "byline.log") }

// Ensure creates both directories (mode 0700) if they are missing.
func (p Paths) Ensure() error {
	for _, dir := range []string{p.ConfigDir, p.DataDir} {
		if err := os.MkdirAll(dir, dirMode); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
	}
	return nil
}
