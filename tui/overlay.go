package tui

import (
	"math"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// overlay is a layer drawn over the body that takes every key while open:
// a dialog, a form, help, a detail page. update returns nil to close it.
type overlay interface {
	update(m *Model, msg tea.Msg) (overlay, tea.Cmd)
	view(m *Model, w, h int) string
}

// confirmDialog asks before something that cannot be undone. The safe
// choice is focused first, so Enter alone never does harm; the dangerous
// one needs y or moving to it.
type confirmDialog struct {
	title, body string
	yes, no     string // button labels: the dangerous action, the safe one
	focusYes    bool
	onYes       func(m *Model) tea.Cmd
}

func (d *confirmDialog) update(m *Model, msg tea.Msg) (overlay, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return d, nil
	}
	switch {
	case k.String() == "y" || k.String() == "Y":
		return nil, d.onYes(m)
	case k.String() == "n" || k.String() == "N" || key.Matches(k, m.keys.Dismiss.Binding):
		return nil, nil
	case key.Matches(k, m.keys.Confirm.Binding):
		if d.focusYes {
			return nil, d.onYes(m)
		}
		return nil, nil
	case k.String() == "left" || k.String() == "right" || k.String() == "h" || k.String() == "l" ||
		key.Matches(k, m.keys.NextField.Binding, m.keys.PrevField.Binding):
		d.focusYes = !d.focusYes
	}
	return d, nil
}

func (d *confirmDialog) view(m *Model, w, h int) string {
	st := m.st
	no, yes := st.Button.Render(d.no), st.Danger.Render(d.yes)
	if d.focusYes {
		yes = st.DangerFocused.Render(d.yes)
	} else {
		no = st.ButtonFocused.Render(d.no)
	}
	inner := min(max(ansi.StringWidth(d.title)+4, 56), w-8)
	body := lipgloss.NewStyle().Width(inner).Render(d.body)
	buttons := lipgloss.PlaceHorizontal(inner, lipgloss.Right, no+"  "+yes)
	hint := st.Muted.Render("y confirm · n/esc keep · ←/→ move")
	box := st.Dialog.Render(st.Bold.Render(d.title) + "\n\n" + body + "\n\n" + buttons + "\n" + lipgloss.PlaceHorizontal(inner, lipgloss.Right, hint))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}

// scroller is a read-only page's position: the first line shown.
type scroller struct{ offset int }

// key moves the page for a list-movement key and reports whether k was one.
func (s *scroller) key(m *Model, k tea.KeyPressMsg) bool {
	km := m.keys
	switch {
	case key.Matches(k, km.Down.Binding):
		s.offset++
	case key.Matches(k, km.Up.Binding):
		s.offset--
	case key.Matches(k, km.PageDown.Binding):
		s.offset += 10
	case key.Matches(k, km.PageUp.Binding):
		s.offset -= 10
	case key.Matches(k, km.Top.Binding):
		s.offset = 0
	case key.Matches(k, km.Bottom.Binding):
		s.offset = math.MaxInt32
	default:
		return false
	}
	s.offset = max(s.offset, 0)
	return true
}

// window returns the h lines of the page on screen, holding the position
// within the page (so moving back up after overshooting is immediate).
func (s *scroller) window(lines []string, h int) []string {
	s.offset = min(s.offset, max(len(lines)-h, 0))
	return lines[s.offset:min(len(lines), s.offset+h)]
}

// helpOverlay lists every enabled binding by scope, generated from the keymap.
type helpOverlay struct{ scroller }

func (o *helpOverlay) update(m *Model, msg tea.Msg) (overlay, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return o, nil
	}
	if key.Matches(k, m.keys.Help.Binding, m.keys.Back.Binding, m.keys.Quit.Binding) {
		return nil, nil
	}
	o.key(m, k)
	return o, nil
}

func (o *helpOverlay) view(m *Model, w, h int) string {
	body := padAll(o.window(helpLines(m, w-4), h-2), w-2)
	title := "Help · ? or esc to close"
	if m.opts.ReadOnly {
		title += " · read-only: actions that change things are hidden"
	}
	return frame(m.st, title, body, w, h, true)
}

// helpLines renders the full help: every scope's enabled bindings in two
// columns when there is room.
func helpLines(m *Model, width int) []string {
	var lines []string
	keyW := 0
	for _, a := range m.keys.Actions() {
		if a.Binding.Enabled() {
			keyW = max(keyW, ansi.StringWidth(a.Binding.Help().Key))
		}
	}
	keyW = min(keyW, 18)
	for _, s := range scopeOrder {
		bs := m.keys.Scoped(s)
		if len(bs) == 0 {
			continue
		}
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, " "+m.st.Accent.Render(capitalise(string(s))))
		for _, b := range bs {
			h := b.Help()
			lines = append(lines, "   "+m.st.Key.Render(fitCell(h.Key, keyW, false))+"  "+
				ansi.Truncate(m.st.KeyDesc.Render(h.Desc), max(width-keyW-5, 10), "…"))
		}
	}
	return lines
}

// shortHelp is the footer's one-line help for what has the keyboard.
func (m *Model) shortHelp() []key.Binding {
	k := m.keys
	pick := func(as ...*Action) []key.Binding {
		var out []key.Binding
		for _, a := range as {
			if a.Binding.Enabled() && len(a.Binding.Keys()) > 0 {
				out = append(out, a.Binding)
			}
		}
		return out
	}
	if m.input != nil {
		return nil // the input line shows its own hint
	}
	switch m.view {
	case viewExecutions:
		switch m.focus {
		case panePrompt:
			return pick(k.Send, k.Newline, k.Leave)
		case paneFeed:
			return pick(k.Follow, k.Wrap, k.FreezeFeed, k.Search, k.Expand, k.Reply, k.FocusNext, k.Help, k.Quit)
		case paneAgents:
			return pick(k.Up, k.Down, k.FocusNext, k.Execute, k.ToggleAgents, k.Help, k.Quit)
		}
		return pick(k.Open, k.Reply, k.NextWaiting, k.Pause, k.Resume, k.Cancel, k.Details, k.Execute, k.Filter, k.Sort, k.Command, k.Help, k.Quit)
	case viewInbox:
		return pick(k.Open, k.NextWaiting, k.Filter, k.Sort, k.Command, k.Help, k.Quit)
	case viewAgents:
		return pick(k.Open, k.Execute, k.Filter, k.Sort, k.Command, k.Help, k.Quit)
	case viewProfiles:
		return pick(k.Open, k.NewProfile, k.EditProfile, k.DeleteProfile, k.Filter, k.Sort, k.Command, k.Help, k.Quit)
	}
	return pick(k.Open, k.Filter, k.Sort, k.Command, k.Help, k.Quit)
}
