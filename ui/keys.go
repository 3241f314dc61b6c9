package ui

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"

	"github.com/bylinehq/byline/config"
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

	AddFeed, RemoveFeed, EditFeed, HideRead, SortList key.Binding
	SaveStory, PipeStory                              key.Binding
}

// keyAction names one binding for config.toml's [keys] table and says
// where it works.
type keyAction struct {
	name    string
	binding func(*KeyMap) *key.Binding
	screens screens
}

// screens is a set of the places keys are handled: a key two actions share
// on one of them does one thing there and the other never.
type screens uint8

const (
	onFeeds screens = 1 << iota
	onArticles
	onReader
	onLinks // the link list
)

// Where the handlers look at each action (keypress.go, feeds.go, items.go,
// reader.go, links.go).
const (
	everywhere = onFeeds | onArticles | onReader | onLinks
	lists      = onFeeds | onArticles
	allScreens = onFeeds | onArticles | onReader // keypress.go's globalKey
)

func (s screens) String() string {
	var names []string
	for _, n := range []struct {
		s    screens
		name string
	}{{onFeeds, "feeds"}, {onArticles, "articles"}, {onReader, "reader"}, {onLinks, "link list"}} {
		if s&n.s != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, ", ")
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
//	refresh r · refresh-all R · search / · show-error e · help ? ·
//	add-feed a · remove-feed d · edit-feed E · hide-read u · sort O ·
//	save-story S · pipe-story |
//
// Not rebindable: digits in the reader (they type a link number), y and n
// answering a question, and enter, esc and the arrows while a text field
// (search, link filter) has the focus.
var keyActions = []keyAction{
	{"up", func(k *KeyMap) *key.Binding { return &k.Up }, everywhere},
	{"down", func(k *KeyMap) *key.Binding { return &k.Down }, everywhere},
	{"top", func(k *KeyMap) *key.Binding { return &k.Top }, everywhere},
	{"bottom", func(k *KeyMap) *key.Binding { return &k.Bottom }, everywhere},
	{"half-page-down", func(k *KeyMap) *key.Binding { return &k.HalfPageDown }, everywhere},
	{"half-page-up", func(k *KeyMap) *key.Binding { return &k.HalfPageUp }, everywhere},
	{"page-down", func(k *KeyMap) *key.Binding { return &k.PageDown }, everywhere},
	{"page-up", func(k *KeyMap) *key.Binding { return &k.PageUp }, everywhere},
	{"open", func(k *KeyMap) *key.Binding { return &k.Open }, lists | onLinks},
	{"back", func(k *KeyMap) *key.Binding { return &k.Back }, onArticles | onReader | onLinks},
	{"quit", func(k *KeyMap) *key.Binding { return &k.Quit }, allScreens | onLinks},
	{"force-quit", func(k *KeyMap) *key.Binding { return &k.ForceQuit }, everywhere},
	{"next-link", func(k *KeyMap) *key.Binding { return &k.NextLink }, onReader},
	{"prev-link", func(k *KeyMap) *key.Binding { return &k.PrevLink }, onReader},
	{"follow", func(k *KeyMap) *key.Binding { return &k.Follow }, onReader | onLinks},
	{"link-list", func(k *KeyMap) *key.Binding { return &k.LinkList }, onReader | onLinks},
	{"browser", func(k *KeyMap) *key.Binding { return &k.Browser }, allScreens | onLinks},
	{"copy-url", func(k *KeyMap) *key.Binding { return &k.CopyURL }, allScreens | onLinks},
	{"forward", func(k *KeyMap) *key.Binding { return &k.Forward }, onReader},
	{"toggle-text", func(k *KeyMap) *key.Binding { return &k.ToggleText }, onReader},
	{"next-unread", func(k *KeyMap) *key.Binding { return &k.NextUnread }, allScreens},
	{"prev-unread", func(k *KeyMap) *key.Binding { return &k.PrevUnread }, allScreens},
	{"toggle-read", func(k *KeyMap) *key.Binding { return &k.ToggleRead }, allScreens},
	{"toggle-star", func(k *KeyMap) *key.Binding { return &k.ToggleStar }, allScreens},
	{"mark-all-read", func(k *KeyMap) *key.Binding { return &k.MarkAllRead }, allScreens},
	{"refresh", func(k *KeyMap) *key.Binding { return &k.Refresh }, allScreens},
	{"refresh-all", func(k *KeyMap) *key.Binding { return &k.RefreshAll }, allScreens},
	{"search", func(k *KeyMap) *key.Binding { return &k.Search }, allScreens | onLinks},
	{"show-error", func(k *KeyMap) *key.Binding { return &k.ShowError }, allScreens},
	{"help", func(k *KeyMap) *key.Binding { return &k.Help }, allScreens},
	{"add-feed", func(k *KeyMap) *key.Binding { return &k.AddFeed }, onFeeds},
	{"remove-feed", func(k *KeyMap) *key.Binding { return &k.RemoveFeed }, onFeeds},
	{"edit-feed", func(k *KeyMap) *key.Binding { return &k.EditFeed }, onFeeds},
	{"hide-read", func(k *KeyMap) *key.Binding { return &k.HideRead }, lists},
	{"sort", func(k *KeyMap) *key.Binding { return &k.SortList }, onArticles},
	{"save-story", func(k *KeyMap) *key.Binding { return &k.SaveStory }, onArticles | onReader},
	{"pipe-story", func(k *KeyMap) *key.Binding { return &k.PipeStory }, onArticles | onReader},
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

// helpKeys is how the help screen names keys: all of them, with arrows
// drawn as arrows.
func helpKeys(keys []string) string {
	shown := make([]string, 0, len(keys))
	for _, k := range keys {
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
		ShowError:   binding("feed status, errors", "e"),
		Help:        binding("help", "?"),

		AddFeed:    binding("add a feed", "a"),
		RemoveFeed: binding("remove the feed", "d"),
		EditFeed:   binding("edit tags, name", "E"),
		HideRead:   binding("hide/show read", "u"),
		SortList:   binding("sort: date, title, feed", "O"),
		SaveStory:  binding("save as Markdown", "S"),
		PipeStory:  binding("pipe to pipe-command", "|"),
	}
}

// NewKeyMap returns the default bindings with the actions in overrides
// bound to the keys given instead (an empty list unbinds the action). It
// rejects what CheckKeys finds, naming each mistake; the overrides that
// are valid on their own are applied either way.
func NewKeyMap(overrides map[string][]string) (KeyMap, error) {
	km, problems := applyKeys(overrides)
	if len(problems) == 0 {
		return km, nil
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = fmt.Sprintf("keys.%s: %v", p.Action, p.Err)
	}
	return km, errors.New(strings.Join(msgs, "; "))
}

// CheckKeys finds what is wrong with config.toml's [keys] table, each
// problem with the action whose entry it is about: an unknown action, a
// key name Bubble Tea never produces, or a key that two actions working on
// one screen share (refresh = ["j"] took j from down). The config package
// asks it, so that every command refuses such a file with its line.
func CheckKeys(overrides map[string][]string) []config.KeyProblem {
	_, problems := applyKeys(overrides)
	return problems
}

func applyKeys(overrides map[string][]string) (KeyMap, []config.KeyProblem) {
	km := DefaultKeyMap()
	var problems []config.KeyProblem
	for _, name := range slices.Sorted(maps.Keys(overrides)) {
		i := slices.IndexFunc(keyActions, func(a keyAction) bool { return a.name == name })
		if i < 0 {
			problems = append(problems, config.KeyProblem{Action: name,
				Err: fmt.Errorf("unknown action %q (byline man lists them under KEYS)", name)})
			continue
		}
		keys := overrides[name]
		var bad []error
		for _, k := range keys {
			if err := checkKeyName(k); err != nil {
				bad = append(bad, err)
			}
		}
		if len(bad) > 0 {
			problems = append(problems, config.KeyProblem{Action: name, Err: errors.Join(bad...)})
			continue
		}
		b := keyActions[i].binding(&km)
		if len(keys) == 0 {
			b.Unbind()
			continue
		}
		*b = binding(b.Help().Desc, keys...)
	}
	return km, append(problems, conflicts(km, overrides)...)
}

// conflicts finds each key that two actions working on one screen share,
// the handler there seeing it for one and the other never firing, and
// each digit bound in the reader, where digits type a link number. The
// blame goes to the actions the user rebound, both if both were. Two
// actions that share a key by default (open and follow: enter) do the
// same thing where they meet.
func conflicts(km KeyMap, overrides map[string][]string) []config.KeyProblem {
	var problems []config.KeyProblem
	rebound := func(i int) bool { _, ok := overrides[keyActions[i].name]; return ok }
	for i, a := range keyActions {
		keys := a.binding(&km).Keys()
		for _, k := range keys {
			if rebound(i) && a.screens&onReader != 0 && len(k) == 1 && k[0] >= '0' && k[0] <= '9' {
				problems = append(problems, config.KeyProblem{Action: a.name,
					Err: fmt.Errorf("%q types a link number in the reader; %s needs another key", k, a.name)})
			}
		}
		for j := i + 1; j < len(keyActions); j++ {
			b := keyActions[j]
			shared := a.screens & b.screens
			if shared == 0 || sharedByDefault[[2]int{i, j}] {
				continue
			}
			for _, k := range keys {
				if !slices.Contains(b.binding(&km).Keys(), k) {
					continue
				}
				clash := func(blamed, other keyAction) config.KeyProblem {
					return config.KeyProblem{Action: blamed.name,
						Err: fmt.Errorf("%q is %s's key too, and both work on the %s screens; give one of them another key", k, other.name, shared)}
				}
				if rebound(i) {
					problems = append(problems, clash(a, b))
				}
				if rebound(j) {
					problems = append(problems, clash(b, a))
				}
			}
		}
	}
	return problems
}

// sharedByDefault holds the pairs of actions (indexes into keyActions, in
// order) that share a key in DefaultKeyMap.
var sharedByDefault = func() map[[2]int]bool {
	km := DefaultKeyMap()
	pairs := map[[2]int]bool{}
	for i, a := range keyActions {
		for j := i + 1; j < len(keyActions); j++ {
			for _, k := range a.binding(&km).Keys() {
				if slices.Contains(keyActions[j].binding(&km).Keys(), k) {
					pairs[[2]int{i, j}] = true
				}
			}
		}
	}
	return pairs
}()

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
	filter := k.Search // in the link list, / filters the links
	filter.SetHelp(filter.Help().Key, "filter")
	return []key.Binding{k.Follow, k.Browser, k.CopyURL, filter, k.Back}
}

// FullHelp is every binding, grouped into columns, for the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.HalfPageDown, k.HalfPageUp, k.PageDown, k.PageUp},
		{k.Open, k.Back, k.Quit, k.ForceQuit, k.Search, k.Refresh, k.RefreshAll, k.Help},
		{k.NextUnread, k.PrevUnread, k.ToggleRead, k.ToggleStar, k.MarkAllRead, k.ShowError},
		{k.NextLink, k.PrevLink, k.Follow, k.LinkList, k.Browser, k.CopyURL, k.Forward, k.ToggleText},
		{k.AddFeed, k.RemoveFeed, k.EditFeed, k.HideRead, k.SortList, k.SaveStory, k.PipeStory},
	}
}
