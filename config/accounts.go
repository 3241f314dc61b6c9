package config

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// AccountType names the API a sync account speaks.
type AccountType string

const (
	// AccountMiniflux is Miniflux's own REST API (/v1/).
	AccountMiniflux AccountType = "miniflux"
	// AccountGReader is the Google Reader API that FreshRSS, Inoreader,
	// The Old Reader, BazQux and Miniflux serve.
	AccountGReader AccountType = "greader"
)

// Account is one [[account]] table of config.toml: a server that holds
// subscriptions and read state. The secrets themselves are never here,
// only where to get them.
type Account struct {
	// Name (name) is shown as the feed group and used by --account.
	Name string
	// Type (type) is "miniflux" or "greader".
	Type AccountType
	// URL (url) is the server. For greader it is the API base under which
	// /accounts/ClientLogin and /reader/api/0/ live (FreshRSS:
	// https://host/api/greader.php).
	URL string
	// Username (username) logs in; miniflux with token-env needs none.
	Username string
	// PasswordCommand (password-command) is a command whose first line of
	// output is the password, such as "pass show rss". It is split into
	// words like a shell would but never run by one.
	PasswordCommand string
	// PasswordEnv (password-env) names an environment variable holding
	// the password.
	PasswordEnv string
	// TokenEnv (token-env), for miniflux, names an environment variable
	// holding an API key, used instead of a username and password.
	TokenEnv string
	// AppID (app-id) and AppKey (app-key), for greader, are sent as the
	// AppId and AppKey headers that Inoreader asks of every request.
	AppID  string
	AppKey string
}

// accountTable lists the keys of an [[account]] table.
var accountTable = []setting[Account]{
	field("name", func(a *Account) *string { return &a.Name }, toString, printable),
	field("type", func(a *Account) *AccountType { return &a.Type },
		toString[AccountType], oneOf(AccountMiniflux, AccountGReader)),
	field("url", func(a *Account) *string { return &a.URL }, toString, checkAccountURL),
	field("username", func(a *Account) *string { return &a.Username }, toString, printable),
	field("password-command", func(a *Account) *string { return &a.PasswordCommand }, toString, printable),
	field("password-env", func(a *Account) *string { return &a.PasswordEnv }, toString, printable),
	field("token-env", func(a *Account) *string { return &a.TokenEnv }, toString, printable),
	field("app-id", func(a *Account) *string { return &a.AppID }, toString, printable),
	field("app-key", func(a *Account) *string { return &a.AppKey }, toString, printable),
}

// checkAccountURL accepts an http(s) URL with a host and no user name or
// password in it: those belong in username and a password source, where
// they are kept out of every message.
func checkAccountURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return errors.New("must be an http:// or https:// URL with a host")
	case u.User != nil:
		return errors.New("must not hold a user name or password; use username and password-command or password-env")
	case u.RawQuery != "" || u.Fragment != "":
		return errors.New("must not have a query or fragment")
	}
	return nil
}

// check reports what makes a complete account wrong: a missing key or a
// combination of keys that cannot work.
func (a Account) check() error {
	var sources []string
	for key, v := range map[string]string{"password-command": a.PasswordCommand, "password-env": a.PasswordEnv, "token-env": a.TokenEnv} {
		if v != "" {
			sources = append(sources, key)
		}
	}
	slices.Sort(sources)
	switch {
	case strings.TrimSpace(a.Name) == "":
		return errors.New("needs a name")
	case a.Type == "":
		return errors.New(`needs a type ("miniflux" or "greader")`)
	case a.URL == "":
		return errors.New("needs a url")
	case len(sources) == 0:
		return errors.New("needs password-command or password-env (miniflux: or token-env)")
	case len(sources) > 1:
		return fmt.Errorf("takes one of password-command, password-env and token-env, not %s", strings.Join(sources, " and "))
	case a.TokenEnv != "" && a.Type != AccountMiniflux:
		return errors.New("token-env is for miniflux accounts; greader logs in with username and a password")
	case a.Username == "" && a.TokenEnv == "":
		return errors.New("needs a username")
	case (a.AppID != "" || a.AppKey != "") && a.Type != AccountGReader:
		return errors.New("app-id and app-key are for greader accounts (Inoreader)")
	case (a.AppID == "") != (a.AppKey == ""):
		return errors.New("app-id and app-key go together")
	}
	return nil
}

// checkAccounts checks every account and that no two share a name.
func checkAccounts(accounts []Account) []error {
	var errs []error
	seen := make(map[string]bool)
	for i, a := range accounts {
		for _, st := range accountTable {
			if err := st.check(&a); err != nil {
				errs = append(errs, fmt.Errorf("account[%d].%s: %w", i, st.key, err))
			}
		}
		if err := a.check(); err != nil {
			errs = append(errs, fmt.Errorf("account[%d] %q: %w", i, a.Name, err))
		}
		if seen[a.Name] {
			errs = append(errs, fmt.Errorf("account[%d]: another account is named %q", i, a.Name))
		}
		seen[a.Name] = true
	}
	return errs
}

// Account returns the account named name.
func (s Settings) Account(name string) (Account, bool) {
	i := slices.IndexFunc(s.Accounts, func(a Account) bool { return a.Name == name })
	if i < 0 {
		return Account{}, false
	}
	return s.Accounts[i], true
}

// accounts decodes the [[account]] array, each key checked where it
// stands so errors carry its line.
func (d *settingsDecoder) accounts(path toml.Key, prim toml.Primitive) error {
	var tables []map[string]toml.Primitive
	if err := d.md.PrimitiveDecode(prim, &tables); err != nil {
		return d.value(path, prim, func(raw any) error {
			return typeError("an array of tables ([[account]])", raw)
		})
	}
	for i, table := range tables {
		var a Account
		keys := make([]string, 0, len(table))
		for key := range table {
			keys = append(keys, key)
		}
		slices.Sort(keys)
		for _, key := range keys {
			at := toml.Key{"account", key}
			st, ok := lookup(accountTable, key)
			if !ok {
				return d.unknown(at, table[key])
			}
			if err := d.value(at, table[key], func(raw any) error { return decodeChecked(st, &a, raw) }); err != nil {
				return err
			}
		}
		problem := a.check()
		if _, dup := d.s.Account(a.Name); dup && problem == nil {
			problem = fmt.Errorf("another account is named %q", a.Name)
		}
		if problem != nil {
			// Placed at the table's name, or its first key.
			at := "name"
			if _, ok := table[at]; !ok && len(keys) > 0 {
				at = keys[0]
			}
			err := d.value(toml.Key{"account", at}, table[at], func(any) error { return problem })
			var se *SettingsError
			if errors.As(err, &se) {
				se.Err = fmt.Errorf("[[account]] %d: %w", i+1, problem)
				return se
			}
			return &SettingsError{File: d.file, Key: "account", Err: fmt.Errorf("[[account]] %d: %w", i+1, problem)}
		}
		d.s.Accounts = append(d.s.Accounts, a)
	}
	return nil
}
