// Package keys is the keymap as data: every action has a stable name, a
// scope, keys and help text. Help, the footer, `agentop keys` and the
// README table are generated from it; config overrides go by action name.
package keys

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"

	"github.com/agentop/agentop/api"
)

// Scope is where a binding applies.
type Scope string

// Scopes, in the order help lists them.
const (
	ScopeGlobal   Scope = "global"
	ScopeList     Scope = "lists"
	ScopeExec     Scope = "executions"
	ScopeFeed     Scope = "activity feed"
	ScopePrompt   Scope = "reply box"
	ScopeProfiles Scope = "profiles"
	ScopePools    Scope = "pools"
	ScopeDialog   Scope = "dialogs and forms"
)

// ScopeOrder is the order help lists the scopes in.
var ScopeOrder = []Scope{ScopeGlobal, ScopeList, ScopeExec, ScopeFeed, ScopePrompt, ScopeProfiles, ScopePools, ScopeDialog}

// Action is a named thing a key does. Config overrides name actions.
type Action struct {
	Name    string // stable name used in the config file ("pause", "next-waiting" …)
	Scope   Scope
	Binding key.Binding
	// Mutating actions change something on the platform; read-only mode
	// and missing capabilities remove them.
	Mutating bool
	// Short is the footer's word for it ("" : its help text).
	Short string
	needs func(api.Capabilities) bool
}

// KeyMap is every action, addressable by field for Update and by name for
// configuration, help and docs.
type KeyMap struct {
	// global
	Quit, ForceQuit, Help, Command, Refresh, NextWaiting, FocusNext, FocusPrev, Back *Action
	NextView, PrevView                                                               *Action
	// Views are the view-… actions, one per view of the registry, in its order.
	Views []*Action
	// lists
	Up, Down, PageUp, PageDown, Top, Bottom, Filter, Sort, SortReverse, Open *Action
	SpanShorter, SpanLonger                                                  *Action // the timeline's span of time
	// executions
	Details, Execute, Pause, Resume, Cancel, Reply, OpenURL, CopyURL, CopyID, ToggleAgents, Zoom, Mark, MarkAll, Export *Action
	// feed
	Follow, Wrap, FreezeFeed, Search, NextMatch, PrevMatch, Expand, Fold, Timestamps *Action
	// reply box
	Send, Newline, Leave *Action
	// profiles
	NewProfile, EditProfile, DeleteProfile, AddCookie *Action
	// pools
	NewPool, EditPool *Action
	// dialogs
	Confirm, Dismiss, NextField, PrevField, SaveFile *Action

	all []*Action
}

func bind(m *KeyMap, dst **Action, name string, scope Scope, keys []string, helpKey, desc string) *Action {
	a := &Action{
		Name:    name,
		Scope:   scope,
		Binding: key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc)),
	}
	*dst = a
	m.all = append(m.all, a)
	return a
}

func mutating(a *Action, needs func(api.Capabilities) bool) {
	a.Mutating = true
	a.needs = needs
}

// FooterText is what the footer says of a binding: the action's short
// word where it has one.
func (m *KeyMap) FooterText(b key.Binding) string {
	h := b.Help()
	for _, a := range m.all {
		if a.Short != "" && a.Binding.Help() == h {
			return a.Short
		}
	}
	return h.Desc
}

// ViewKey is a view's switch action: its name is "view-" + Name.
type ViewKey struct{ Name, Key, Help string }

// Default returns the built-in bindings, with one switch action per view.
func Default(views []ViewKey) *KeyMap {
	m := &KeyMap{}
	k := func(keys ...string) []string { return keys }

	bind(m, &m.Quit, "quit", ScopeGlobal, k("q"), "q", "quit")
	bind(m, &m.ForceQuit, "force-quit", ScopeGlobal, k("ctrl+c"), "ctrl+c", "quit (anywhere; drafts are kept)")
	bind(m, &m.Help, "help", ScopeGlobal, k("?"), "?", "help")
	names := make([]string, len(views))
	for i, v := range views {
		names[i] = ":" + v.Name
	}
	bind(m, &m.Command, "command", ScopeGlobal, k(":"), ":", "switch view ("+strings.Join(names, ", ")+")")
	bind(m, &m.Refresh, "refresh", ScopeGlobal, k("ctrl+r"), "ctrl+r", "refresh now")
	bind(m, &m.NextWaiting, "next-waiting", ScopeGlobal, k("!"), "!", "jump to the next execution waiting for you")
	bind(m, &m.FocusNext, "focus-next", ScopeGlobal, k("tab"), "tab", "next pane")
	bind(m, &m.FocusPrev, "focus-prev", ScopeGlobal, k("shift+tab"), "shift+tab", "previous pane")
	bind(m, &m.Back, "back", ScopeGlobal, k("esc"), "esc", "back / clear filter")
	m.Views = make([]*Action, len(views))
	for i, v := range views {
		var ks []string // a view without a number key is reached by ":"
		if v.Key != "" {
			ks = k(v.Key)
		}
		bind(m, &m.Views[i], "view-"+v.Name, ScopeGlobal, ks, v.Key, v.Help)
	}
	bind(m, &m.NextView, "next-view", ScopeGlobal, k("]"), "]", "next view (tab)")
	bind(m, &m.PrevView, "prev-view", ScopeGlobal, k("["), "[", "previous view (tab)")

	bind(m, &m.Up, "up", ScopeList, k("up", "k"), "↑/k", "up")
	bind(m, &m.Down, "down", ScopeList, k("down", "j"), "↓/j", "down")
	bind(m, &m.PageUp, "page-up", ScopeList, k("pgup", "ctrl+u"), "pgup", "page up")
	bind(m, &m.PageDown, "page-down", ScopeList, k("pgdown", "ctrl+d"), "pgdn", "page down")
	bind(m, &m.Top, "top", ScopeList, k("home", "g"), "g", "top")
	bind(m, &m.Bottom, "bottom", ScopeList, k("end", "G"), "G", "bottom (feed: follow)")
	bind(m, &m.Filter, "filter", ScopeList, k("/"), "/", "filter (text, !not, status: agent: label:; feed: search)")
	bind(m, &m.Sort, "sort", ScopeList, k("s"), "s", "sort by next column")
	bind(m, &m.SortReverse, "sort-reverse", ScopeList, k("S"), "S", "reverse sort")
	bind(m, &m.Open, "open", ScopeList, k("enter"), "enter", "open")
	bind(m, &m.SpanShorter, "span-shorter", ScopeList, k("+", "="), "+", "shorter span")
	bind(m, &m.SpanLonger, "span-longer", ScopeList, k("-"), "-", "longer span")

	bind(m, &m.Details, "details", ScopeExec, k("d"), "d", "details: result, metadata, files, URLs")
	mutating(bind(m, &m.Execute, "execute", ScopeExec, k("e"), "e", "execute an agent"), func(c api.Capabilities) bool { return c.Execute })
	mutating(bind(m, &m.Pause, "pause", ScopeExec, k("p"), "p", "pause"), func(c api.Capabilities) bool { return c.Pause })
	mutating(bind(m, &m.Resume, "resume", ScopeExec, k("r"), "r", "resume"), func(c api.Capabilities) bool { return c.Resume })
	mutating(bind(m, &m.Cancel, "cancel", ScopeExec, k("x"), "x", "cancel (asks first)"), func(c api.Capabilities) bool { return c.Cancel })
	mutating(bind(m, &m.Reply, "reply", ScopeExec, k("i"), "i", "reply to the agent"), func(c api.Capabilities) bool { return c.Reply })
	bind(m, &m.OpenURL, "open-url", ScopeExec, k("o"), "o", "open live view / recording in the browser")
	bind(m, &m.CopyURL, "copy-url", ScopeExec, k("y"), "y", "copy live view / recording URL")
	bind(m, &m.CopyID, "copy-id", ScopeExec, k("Y"), "Y", "copy execution id")
	bind(m, &m.ToggleAgents, "toggle-agents", ScopeExec, k("a"), "a", "show/hide the agents pane")
	bind(m, &m.Mark, "mark", ScopeExec, k("space"), "space", "mark / unmark the execution (p, r, x then act on the marked; esc clears)")
	bind(m, &m.MarkAll, "mark-all", ScopeExec, k("ctrl+a"), "ctrl+a", "mark every listed execution (again: clear)")
	bind(m, &m.Export, "export", ScopeExec, k("E"), "E", "export the listed executions (CSV, JSON lines) or, from the feed, its activities")
	bind(m, &m.Zoom, "zoom", ScopeExec, k("z", "Z"), "z/Z", "zoom: the focused pane fills the view (again: back; in a span tree z folds, Z zooms)")

	bind(m, &m.Follow, "follow", ScopeFeed, k("f"), "f", "follow (stick to the newest)")
	bind(m, &m.Wrap, "wrap", ScopeFeed, k("w"), "w", "wrap long lines")
	bind(m, &m.FreezeFeed, "pause-feed", ScopeFeed, k("space"), "space", "pause the feed (keeps buffering)")
	bind(m, &m.Search, "search", ScopeFeed, k("/"), "/", "search")
	bind(m, &m.NextMatch, "next-match", ScopeFeed, k("n"), "n", "next match")
	bind(m, &m.PrevMatch, "prev-match", ScopeFeed, k("N"), "N", "previous match")
	bind(m, &m.Expand, "expand", ScopeFeed, k("enter"), "enter", "expand the activity's raw JSON")
	bind(m, &m.Fold, "fold", ScopeFeed, k("z"), "z", "fold or unfold a span's children (span trees)")
	bind(m, &m.Timestamps, "timestamps", ScopeFeed, k("t"), "t", "toggle timestamps")

	bind(m, &m.Send, "send", ScopePrompt, k("enter"), "enter", "send")
	bind(m, &m.Newline, "newline", ScopePrompt, k("alt+enter", "ctrl+j", "shift+enter"), "alt+enter/ctrl+j", "new line")
	bind(m, &m.Leave, "leave", ScopePrompt, k("esc"), "esc", "leave (the draft is kept)")

	mutating(bind(m, &m.NewProfile, "new-profile", ScopeProfiles, k("n"), "n", "new profile"), func(c api.Capabilities) bool { return c.ManageProfiles })
	mutating(bind(m, &m.EditProfile, "edit-profile", ScopeProfiles, k("e"), "e", "edit profile"), func(c api.Capabilities) bool { return c.ManageProfiles })
	mutating(bind(m, &m.DeleteProfile, "delete-profile", ScopeProfiles, k("D"), "D", "delete profile (asks first)"), func(c api.Capabilities) bool { return c.ManageProfiles })
	mutating(bind(m, &m.AddCookie, "add-cookie", ScopeProfiles, k("c"), "c", "add a cookie to the profile (its value is never shown)"), func(c api.Capabilities) bool { return c.ManageProfiles })

	mutating(bind(m, &m.NewPool, "new-pool", ScopePools, k("n"), "n", "new profile pool"), func(c api.Capabilities) bool { return c.ManagePools })
	mutating(bind(m, &m.EditPool, "edit-pool", ScopePools, k("e"), "e", "edit profile pool"), func(c api.Capabilities) bool { return c.ManagePools })

	bind(m, &m.Confirm, "confirm", ScopeDialog, k("enter"), "enter", "activate the focused button / submit")
	bind(m, &m.Dismiss, "dismiss", ScopeDialog, k("esc"), "esc", "cancel")
	bind(m, &m.NextField, "next-field", ScopeDialog, k("tab", "down"), "tab/↓", "next field or button")
	bind(m, &m.PrevField, "prev-field", ScopeDialog, k("shift+tab", "up"), "shift+tab/↑", "previous field or button")
	bind(m, &m.SaveFile, "save-file", ScopeDialog, k("s"), "s", "details page: save the marked file (tab marks another; s again overwrites)").needs = func(c api.Capabilities) bool { return c.Download }
	for name, word := range map[string]string{
		"next-waiting": "next waiting", "command": "views", "details": "details", "execute": "execute",
		"cancel": "cancel", "reply": "reply", "open-url": "open URL", "copy-url": "copy URL", "copy-id": "copy id",
		"toggle-agents": "agents", "zoom": "zoom", "filter": "filter", "sort": "sort", "pause-feed": "pause feed",
		"expand": "expand", "follow": "follow", "wrap": "wrap", "search": "search", "focus-next": "next pane",
		"leave": "leave (draft kept)", "delete-profile": "delete", "bottom": "bottom", "timestamps": "times",
		"export": "export", "mark": "mark", "mark-all": "mark all", "add-cookie": "add cookie", "new-pool": "new pool", "edit-pool": "edit pool", "new-profile": "new", "edit-profile": "edit",
	} {
		if a, ok := m.Lookup(name); ok {
			a.Short = word
		}
	}
	return m
}

// AddCustom adds a custom command's action (scope executions, named
// "command-"+name) bound to key; unsafe ones are mutating (read-only mode
// turns them off). A key another action of those scopes or a global one
// has is refused. Call Restrict after.
func (m *KeyMap) AddCustom(name, k, desc string, safe bool) (*Action, error) {
	for _, a := range m.all {
		if overlaps(a.Scope, ScopeExec) && a.Scope != ScopeFeed {
			for _, bk := range a.Binding.Keys() {
				if bk == k {
					return nil, fmt.Errorf("commands: %s: %q is already bound to %s", name, k, a.Name)
				}
			}
		}
	}
	var dst *Action
	a := bind(m, &dst, "command-"+name, ScopeExec, []string{k}, k, desc)
	a.Mutating = !safe
	return a, nil
}

// Actions returns every action in definition order.
func (m *KeyMap) Actions() []*Action { return m.all }

// Lookup returns the action with the given name.
func (m *KeyMap) Lookup(name string) (*Action, bool) {
	for _, a := range m.all {
		if a.Name == name {
			return a, true
		}
	}
	return nil, false
}

// Override rebinds actions by name: each entry replaces the action's keys
// (an empty list unbinds it). Unknown names and keys that would collide with
// another action in the same scope (or a global one) are reported together;
// nothing is changed when there is an error.
func (m *KeyMap) Override(keys map[string][]string) error {
	var problems []string
	names := make([]string, 0, len(keys))
	for n := range keys {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, ok := m.Lookup(n); !ok {
			problems = append(problems, fmt.Sprintf("unknown action %q", n))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("keys: %s (see `agentop keys` for the action names)", strings.Join(problems, "; "))
	}
	proposed := map[*Action][]string{}
	for _, a := range m.all {
		proposed[a] = a.Binding.Keys()
		if ks, ok := keys[a.Name]; ok {
			proposed[a] = ks
		}
	}
	for i, a := range m.all {
		for _, b := range m.all[i+1:] {
			if !overlaps(a.Scope, b.Scope) {
				continue
			}
			for _, ka := range proposed[a] {
				for _, kb := range proposed[b] {
					if ka == kb && (keys[a.Name] != nil || keys[b.Name] != nil) {
						problems = append(problems, fmt.Sprintf("%q is bound to both %s and %s", ka, a.Name, b.Name))
					}
				}
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("keys: %s", strings.Join(problems, "; "))
	}
	for _, a := range m.all {
		ks, ok := keys[a.Name]
		if !ok {
			continue
		}
		if len(ks) == 0 {
			a.Binding.Unbind()
			continue
		}
		a.Binding.SetKeys(ks...)
		a.Binding.SetHelp(strings.Join(ks, "/"), a.Binding.Help().Desc)
	}
	return nil
}

// overlaps reports whether keys of two scopes can clash: the same scope, or
// a global key shadowing a pane key. The reply box and dialogs capture keys,
// so they only clash among themselves. Lists, executions and the feed are
// active together, so they clash with each other, except where the feed
// deliberately reuses a list key for its own meaning (filter → search,
// open → expand).
func overlaps(a, b Scope) bool {
	if a == b {
		return true
	}
	capture := func(s Scope) bool { return s == ScopePrompt || s == ScopeDialog }
	if capture(a) || capture(b) {
		return false
	}
	if a == ScopeGlobal || b == ScopeGlobal {
		return true
	}
	pane := func(s Scope) bool { return s == ScopeList || s == ScopeExec }
	view := func(s Scope) bool { return s == ScopeProfiles || s == ScopePools } // a list view's own keys
	return pane(a) && pane(b) || (view(a) && b == ScopeList) || (view(b) && a == ScopeList)
}

// Restrict disables the mutating actions that read-only mode or the
// platform's capabilities rule out; help and Update then ignore them.
func (m *KeyMap) Restrict(caps api.Capabilities, readOnly bool) {
	for _, a := range m.all {
		if (a.Mutating && readOnly) || (a.needs != nil && !a.needs(caps)) {
			a.Binding.SetEnabled(false)
		}
	}
}

// Off returns the mutating action of scope bound to key k that read-only
// mode or the platform's capabilities turned off (nil when none), so that
// a key that does nothing can say why.
func (m *KeyMap) Off(k string, scope Scope) *Action {
	for _, a := range m.all {
		if a.Mutating && a.Scope == scope && !a.Binding.Enabled() {
			for _, bk := range a.Binding.Keys() {
				if bk == k {
					return a
				}
			}
		}
	}
	return nil
}

// Scoped returns the enabled bindings of a scope.
func (m *KeyMap) Scoped(s Scope) []key.Binding {
	var out []key.Binding
	for _, a := range m.all {
		if a.Scope == s && a.Binding.Enabled() && len(a.Binding.Keys()) > 0 {
			out = append(out, a.Binding)
		}
	}
	return out
}

// Markdown renders the key reference as Markdown tables, one per scope, for
// the README and `agentop keys`.
func (m *KeyMap) Markdown() string {
	var b strings.Builder
	for _, s := range ScopeOrder {
		fmt.Fprintf(&b, "**%s**\n\n| Keys | Action | Name |\n| --- | --- | --- |\n", Capitalise(string(s)))
		for _, a := range m.all {
			if a.Scope != s {
				continue
			}
			h := a.Binding.Help()
			note := ""
			if a.Mutating {
				note = " ✎"
			}
			ks := "`" + strings.Join(a.Binding.Keys(), "` `") + "`"
			if len(a.Binding.Keys()) == 0 {
				ks = "—"
			}
			fmt.Fprintf(&b, "| %s | %s%s | `%s` |\n", ks, h.Desc, note, a.Name)
		}
		b.WriteString("\n")
	}
	b.WriteString("✎ changes something on the platform: hidden in `--read-only` mode and when the platform cannot do it.\n")
	return b.String()
}

// Capitalise upper-cases the first letter (of an ASCII scope name).
func Capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Bindings returns the enabled, bound bindings of actions, in order (the
// footer's short help).
func Bindings(as ...*Action) []key.Binding {
	out := make([]key.Binding, 0, len(as))
	for _, a := range as {
		if a.Binding.Enabled() && len(a.Binding.Keys()) > 0 {
			out = append(out, a.Binding)
		}
	}
	return out
}
