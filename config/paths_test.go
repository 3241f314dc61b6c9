package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// setEnv sets every variable ResolvePaths reads, so the developer's own
// environment cannot leak into a test: those in vars to their values, the
// others unset (set but empty means something for $BYLINE_HOME).
func setEnv(t *testing.T, vars map[string]string) {
	t.Helper()
	for _, name := range []string{HomeEnv, "XDG_CONFIG_HOME", "XDG_DATA_HOME", "HOME", "AppData", "LocalAppData"} {
		value, ok := vars[name]
		t.Setenv(name, value) // restored after the test
		if !ok {
			os.Unsetenv(name)
		}
	}
}

func TestResolvePaths(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		name, flag, goos  string
		env               map[string]string
		wantCfg, wantData string
	}{
		{"linux defaults", "", "linux", map[string]string{"HOME": home},
			filepath.Join(home, ".config", "byline"), filepath.Join(home, ".local", "share", "byline")},
		{"XDG variables", "", "linux", map[string]string{"HOME": home, "XDG_CONFIG_HOME": "/xdg/config", "XDG_DATA_HOME": "/xdg/data"},
			"/xdg/config/byline", "/xdg/data/byline"},
		{"relative XDG ignored", "", "freebsd", map[string]string{"HOME": home, "XDG_CONFIG_HOME": "rel/config", "XDG_DATA_HOME": "rel/data"},
			filepath.Join(home, ".config", "byline"), filepath.Join(home, ".local", "share", "byline")},
		{"macOS", "", "darwin", map[string]string{"HOME": home},
			filepath.Join(home, "Library", "Application Support", "byline"), filepath.Join(home, "Library", "Application Support", "byline")},
		{"macOS honours XDG", "", "darwin", map[string]string{"HOME": home, "XDG_CONFIG_HOME": "/xdg/config"},
			"/xdg/config/byline", filepath.Join(home, "Library", "Application Support", "byline")},
		{"windows", "", "windows", map[string]string{"AppData": "/w/roaming", "LocalAppData": "/w/local"},
			filepath.Join("/w/roaming", "byline"), filepath.Join("/w/local", "byline")},
		{"BYLINE_HOME", "", "linux", map[string]string{"HOME": home, HomeEnv: "/portable", "XDG_CONFIG_HOME": "/xdg/config"},
			"/portable", "/portable"},
		{"flag beats BYLINE_HOME", "/flag", "linux", map[string]string{HomeEnv: "/portable"},
			"/flag", "/flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setEnv(t, tt.env)
			p, err := resolvePaths(tt.flag, tt.goos)
			if err != nil {
				t.Fatal(err)
			}
			if p.ConfigDir != tt.wantCfg || p.DataDir != tt.wantData {
				t.Errorf("got %+v, want config %s data %s", p, tt.wantCfg, tt.wantData)
			}
		})
	}
}

func TestResolvePathsErrors(t *testing.T) {
	setEnv(t, nil)
	if p, err := resolvePaths("", "windows"); err == nil {
		t.Errorf("no %%AppData%%: got %+v, want an error", p)
	}
	if p, err := resolvePaths("", "linux"); err == nil {
		t.Errorf("no $HOME: got %+v, want an error", p)
	}
	setEnv(t, map[string]string{"HOME": t.TempDir(), HomeEnv: ""})
	if p, err := resolvePaths("", "linux"); err == nil || !strings.Contains(err.Error(), "$BYLINE_HOME is set but empty") {
		t.Errorf("empty $BYLINE_HOME: got %+v, %v; want an error naming it", p, err)
	}
}

func TestResolvePathsRelativeHome(t *testing.T) {
	setEnv(t, nil)
	dir := t.TempDir()
	t.Chdir(dir)
	p, err := ResolvePaths("sandbox")
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "sandbox")
	if p.ConfigDir != want || p.DataDir != want {
		t.Fatalf("got %+v, want both %s", p, want)
	}
	files := map[string]string{
		p.URLsFile(): "urls", p.SettingsFile(): "config.toml", p.DBFile(): "byline.db", p.LogFile(): "byline.log",
	}
	for path, name := range files {
		if path != filepath.Join(want, name) {
			t.Errorf("%s is at %s, want it in %s", name, path, want)
		}
	}
}

func TestEnsureCreatesPrivateDirs(t *testing.T) {
	root := t.TempDir()
	p := Paths{ConfigDir: filepath.Join(root, "c", "byline"), DataDir: filepath.Join(root, "d", "byline")}
	if err := p.Ensure(); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{p.ConfigDir, p.DataDir} {
		assertMode(t, dir, dirMode)
	}
	if err := p.Ensure(); err != nil {
		t.Errorf("second Ensure: %v", err)
	}
	blocker := filepath.Join(root, "file")
	writeFile(t, blocker, "")
	if err := (Paths{ConfigDir: filepath.Join(blocker, "x"), DataDir: root}).Ensure(); err == nil {
		t.Error("Ensure under a regular file succeeded")
	}
}

// umask returns the process umask by creating a file with every
// permission bit and seeing which survive.
func umask(t *testing.T) os.FileMode {
	t.Helper()
	probe := filepath.Join(t.TempDir(), "probe")
	if err := os.WriteFile(probe, nil, 0o777); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(probe)
	if err != nil {
		t.Fatal(err)
	}
	return 0o777 &^ info.Mode().Perm()
}
