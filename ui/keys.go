package ui

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
)

// KeyMap holds every key binding of the TUI. Update matches keys against
// these bindings and the help screen is generated from them, so the help
// can never disagree with what the keys do.
type KeyMap struct {
	Up, Down, Top, Bottom                      key.Binding
	HalfPageDown, HalfPageUp, PageDown, PageUp key.Binding
	Open, Back, Quit, ForceQuit                key.Binding

	NextLink, PrevLink, Follow, LinkList  key.Binding
	Browser, CopyURL, Forward, ToggleText key.Binding

	NextUnread, PrevUnread, ToggleRead, ToggleStar key.Binding
	MarkAllRead, Refresh, RefreshAll, Search       key.Binding
	ShowError, Help                                key.Binding
}

// keyAction names one binding for config.toml's [keys] table.
type keyAction struct {
	name    string
	binding func(*KeyMap) *key.Binding
}

// keyActions lists the action names config.toml's [keys] table rebinds,
// with their default keys (DefaultKeyMap):
//
//	up k ↑ · down j ↓ · top g home · bottom G end · half-page-down ctrl+d ·
//	half-page-up ctrl+u · page-down pgdown space · page-up pgup ·
//	open enter l → · back esc h ← backspace · quit q · force-quit ctrl+c ·
//	next-link tab · prev-link shift+tab · follow enter · link-list L ·
//	browser o · copy-url y · forward ] · toggle-text t · next-unread n ·
//	prev-unread N · toggle-read m · toggle-star s · mark-all-read A ·
//	refresh r · refresh-all R · search / · show-error e · help ?
//
// Not rebindable: digits in the reader (they type a link number), y and n
// answering a question, and enter, esc and the arrows while a text field
// (search, link filter) has the focus.
var keyActions = []keyAction{
	{"up", func(k *KeyMap) *key.Binding { return &k.Up }},
	{"down", func(k *KeyMap) *key.Binding { return &k.Down }},
	{"top", func(k *KeyMap) *key.Binding { return &k.Top }},
	{"bottom", func(k *KeyMap) *key.Binding { return &k.Bottom }},
	{"half-page-down", func(k *KeyMap) *key.Binding { return &k.HalfPageDown }},
	{"half-page-up", func(k *KeyMap) *key.Binding { return &k.HalfPageUp }},
	{"page-down", func(k *KeyMap) *key.Binding { return &k.PageDown }},
	{"page-up", func(k *KeyMap) *key.Binding { return &k.PageUp }},
	{"open", func(k *KeyMap) *key.Binding { return &k.Open }},
	{"back", func(k *KeyMap) *key.Binding { return &k.Back }},
	{"quit", func(k *KeyMap) *key.Binding { return &k.Quit }},
	{"force-quit", func(k *KeyMap) *key.Binding { return &k.ForceQuit }},
	{"next-link", func(k *KeyMap) *key.Binding { return &k.NextLink }},
	{"prev-link", func(k *KeyMap) *key.Binding { return &k.PrevLink }},
	{"follow", func(k *KeyMap) *key.Binding { return &k.Follow }},
	{"link-list", func(k *KeyMap) *key.Binding { return &k.LinkList }},
	{"browser", func(k *KeyMap) *key.Binding { return &k.Browser }},
	{"copy-url", func(k *KeyMap) *key.Binding { return &k.CopyURL }},
	{"forward", func(k *KeyMap) *key.Binding { return &k.Forward }},
	{"toggle-text", func(k *KeyMap) *key.Binding { return &k.ToggleText }},
	{"next-unread", func(k *KeyMap) *key.Binding { return &k.NextUnread }},
	{"prev-unread", func(k *KeyMap) *key.Binding { return &k.PrevUnread }},
	{"toggle-read", func(k *KeyMap) *key.Binding { return &k.ToggleRead }},
	{"toggle-star", func(k *KeyMap) *key.Binding { return &k.ToggleStar }},
	{"mark-all-read", func(k *KeyMap) *key.Binding { return &k.MarkAllRead }},
	{"refresh", func(k *KeyMap) *key.Binding { return &k.Refresh }},
	{"refresh-all", func(k *KeyMap) *key.Binding { return &k.RefreshAll }},
	{"search", func(k *KeyMap) *key.Binding { return &k.Search }},
	{"show-error", func(k *KeyMap) *key.Binding { return &k.ShowError }},
	{"help", func(k *KeyMap) *key.Binding { return &k.Help }},
}

// Action is one rebindable action: its name in config.toml's [keys] table
// and its binding.
type Action struct {
	Name    string
	Binding key.Binding
}

// Actions lists every action of k in a fixed order, for what documents the
// keys outside the reader (the man page's KEYS section).
func (k KeyMap) Actions() []Action {
	out := make([]Action, len(keyActions))
	for i, a := range keyActions {
		out[i] = Action{Name: a.name, Binding: *a.binding(&k)}
	}
	return out
}

func binding(desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), desc))
}

// helpKeys is how the help screen names keys: the first two, with arrows
// drawn as arrows.
func helpKeys(keys []string) string {
	shown := make([]string, 0, 2)
	for _, k := range keys[:min(2, len(keys))] {
		switch k {
		case "up":
			k = "↑"
		case "down":
			k = "↓"
		case "left":
			k = "←"
		case "right":
			k = "→"
		}
		shown = append(shown, k)
	}
	return strings.Join(shown, "/")
}

// DefaultKeyMap returns the bindings byline ships with.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:           binding("up", "k", "up"),
		Down:         binding("down", "j", "down"),
		Top:          binding("top", "g", "home"),
		Bottom:       binding("bottom", "G", "end"),
		HalfPageDown: binding("½ page down", "ctrl+d"),
		HalfPageUp:   binding("½ page up", "ctrl+u"),
		PageDown:     binding("page down", "pgdown", "space"),
		PageUp:       binding("page up", "pgup"),
		Open:         binding("open", "enter", "l", "right"),
		Back:         binding("back", "esc", "h", "left", "backspace"),
		Quit:         binding("back/quit", "q"),
		ForceQuit:    binding("quit now", "ctrl+c"),

		NextLink:   binding("next link", "tab"),
		PrevLink:   binding("previous link", "shift+tab"),
		Follow:     binding("follow link", "enter"),
		LinkList:   binding("link list", "L"),
		Browser:    binding("open in browser", "o"),
		CopyURL:    binding("copy URL", "y"),
		Forward:    binding("forward", "]"),
		ToggleText: binding("feed text/full text", "t"),

		NextUnread:  binding("next unread", "n"),
		PrevUnread:  binding("previous unread", "N"),
		ToggleRead:  binding("toggle read", "m"),
		ToggleStar:  binding("toggle star", "s"),
		MarkAllRead: binding("mark list read", "A"),
		Refresh:     binding("refresh feed", "r"),
		RefreshAll:  binding("refresh all", "R"),
		Search:      binding("search", "/"),
		ShowError:   binding("show feed error", "e"),
		Help:        binding("help", "?"),
	}
}

// NewKeyMap returns the default bindings with the actions in overrides
// bound to the keys given instead (an empty list unbinds the action). It
// rejects unknown action names and key names Bubble Tea never produces,
// naming each mistake; the valid overrides are applied either way.
func NewKeyMap(overrides map[string][]string) (KeyMap, error) {
	km := DefaultKeyMap()
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(overrides)) {
		i := slices.IndexFunc(keyActions, func(a keyAction) bool { return a.name == name })
		if i < 0 {
			problems = append(problems, fmt.Sprintf("unknown action %q", name))
			continue
		}
		keys := overrides[name]
		var bad []string
		for _, k := range keys {
			if err := checkKeyName(k); err != nil {
				bad = append(bad, err.Error())
			}
		}
		if len(bad) > 0 {
			problems = append(problems, fmt.Sprintf("%s: %s", name, strings.Join(bad, "; ")))
			continue
		}
		b := keyActions[i].binding(&km)
		if len(keys) == 0 {
			b.Unbind()
			continue
		}
		*b = binding(b.Help().Desc, keys...)
	}
	if len(problems) > 0 {
		return km, fmt.Errorf("keys: %s", strings.Join(problems, ", "))
	}
	return km, nil
}

// namedKeys are the key names (after any modifiers) that Bubble Tea
// reports; see KeyPressMsg.String.
var namedKeys = map[string]bool{
	"enter": true, "tab": true, "backspace": true, "esc": true, "space": true,
	"up": true, "down": true, "left": true, "right": true, "begin": true, "find": true,
	"insert": true, "delete": true, "select": true, "pgup": true, "pgdown": true,
	"home": true, "end": true,
}

var modifiers = []string{"ctrl", "alt", "shift", "meta", "hyper", "super"}

// checkKeyName accepts what KeyPressMsg.String can return: one printable
// character ("a", "A", "?"), or modifiers and a key ("ctrl+d", "shift+tab",
// "alt+x", "f5").
func checkKeyName(k string) error {
	parts := strings.Split(k, "+")
	base := parts[len(parts)-1]
	mods := parts[:len(parts)-1]
	if base == "" && len(parts) > 1 { // "+" itself, or "ctrl++"
		base, mods = "+", parts[:len(parts)-2]
	}
	for _, mod := range mods {
		if !slices.Contains(modifiers, mod) {
			return fmt.Errorf("%q: unknown modifier %q (use %s)", k, mod, strings.Join(modifiers, ", "))
		}
	}
	if namedKeys[base] || isFunctionKey(base) {
		return nil
	}
	r, size := utf8.DecodeRuneInString(base)
	if size != len(base) || r == utf8.RuneError || !unicode.IsPrint(r) || unicode.IsSpace(r) {
		return fmt.Errorf("%q: unknown key %q", k, base)
	}
	if slices.Contains(mods, "shift") && unicode.IsLetter(r) {
		return fmt.Errorf("%q: write the shifted character itself, such as %q", k, string(unicode.ToUpper(r)))
	}
	return nil
}

func isFunctionKey(s string) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(s, "f"))
	return strings.HasPrefix(s, "f") && err == nil && n >= 1 && n <= 63
}

// LinkListHelp is the line of help under the link list.
func (k KeyMap) LinkListHelp() []key.Binding {
	return []key.Binding{k.Follow, k.Browser, k.CopyURL, k.Search, k.Back}
}

// FullHelp is every binding, grouped into columns, for the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.HalfPageDown, k.HalfPageUp, k.PageDown, k.PageUp},
		{k.Open, k.Back, k.Quit, k.ForceQuit, k.Search, k.Refresh, k.RefreshAll, k.Help},
		{k.NextUnread, k.PrevUnread, k.ToggleRead, k.ToggleStar, k.MarkAllRead, k.ShowError},
		{k.NextLink, k.PrevLink, k.Follow, k.LinkList, k.Browser, k.CopyURL, k.Forward, k.ToggleText},
	}
}
