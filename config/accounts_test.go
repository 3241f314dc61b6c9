package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestAccountMistakesNameTheLine(t *testing.T) {
	const head = "jobs = 4\n\n[[account]]\nname = \"home\"\n"
	for _, c := range []struct{ file, want string }{
		{head + "type = \"miniflux\"\nurl = \"https://x.example\"\nusrname = \"me\"\npassword-env = \"P\"\n",
			`config.toml:7: unknown key "usrname" in [account] (did you mean "username"?)`},
		{head + "type = \"newsblur\"\n", `config.toml:5: account.type: must be one of "miniflux", "greader", got "newsblur"`},
		{head + "type = \"greader\"\nurl = \"https://me:pw@x.example\"\n", "config.toml:6: account.url: must not hold a user name or password"},
		{head + "type = \"greader\"\nurl = \"https://x.example\"\nusername = \"me\"\n",
			"config.toml:4: [[account]] 1: needs password-command or password-env (miniflux: or token-env)"},
		{head + "type = \"greader\"\nurl = \"https://x.example\"\nusername = \"me\"\ntoken-env = \"T\"\n",
			"config.toml:4: [[account]] 1: token-env is for miniflux accounts"},
		{head + "type = \"miniflux\"\nurl = \"https://x.example\"\nusername = \"me\"\npassword-env = \"P\"\npassword-command = \"pass rss\"\n",
			"config.toml:4: [[account]] 1: takes one of password-command, password-env and token-env, not password-command and password-env"},
		{head + "type = \"miniflux\"\nurl = \"https://x.example\"\ntoken-env = \"T\"\n[[account]]\nname = \"home\"\ntype = \"miniflux\"\nurl = \"https://y.example\"\ntoken-env = \"U\"\n",
			`config.toml:9: [[account]] 2: another account is named "home"`},
		{head + "type = \"greader\"\nurl = \"https://x.example\"\nusername = \"me\"\npassword-env = \"P\"\napp-id = \"1\"\n",
			"config.toml:4: [[account]] 1: app-id and app-key go together"},
		{"account = \"home\"\n", "config.toml:1: account: must be an array of tables ([[account]])"},
	} {
		path := filepath.Join(t.TempDir(), "config.toml")
		writeFile(t, path, c.file)
		_, err := LoadSettings(path, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), path) {
			t.Errorf("%q:\n got %v\nwant …%s", c.file, err, c.want)
		}
	}
}

func TestAccountsValidateInGo(t *testing.T) {
	s := Default()
	s.Accounts = []Account{{Name: "a", Type: AccountMiniflux, URL: "ftp://x", TokenEnv: "T"}, {Name: "a", Type: AccountGReader}}
	err := s.Validate()
	for _, want := range []string{"account[0].url", `account[1] "a": needs a url`, `another account is named "a"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v, want %q", err, want)
		}
	}
	if _, ok := s.Account("a"); !ok {
		t.Error("Account(a) not found")
	}
}
