// Package overlay holds the layers drawn over the body that take every key
// while open: a confirmation, help, a read-only page and forms. Each
// returns a pane.Action (stay or close) and a Cmd; none reaches into the
// root.
package overlay

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
)

// Confirm asks before something that cannot be undone. The safe choice is
// focused first, so Enter alone never does harm; the dangerous one needs y
// or moving to it.
type Confirm struct {
	ctx         *pane.Context
	title, body string
	yes, no     string // button labels: the dangerous action, the safe one
	focusYes    bool
	onYes       func() tea.Cmd
	w, h        int
}

// NewConfirm returns a confirmation; onYes runs (in Update) when confirmed.
func NewConfirm(ctx *pane.Context, title, body, yes, no string, onYes func() tea.Cmd) *Confirm {
	return &Confirm{ctx: ctx, title: title, body: body, yes: yes, no: no, onYes: onYes}
}

// Title is the question asked.
func (d *Confirm) Title() string { return d.title }

// Update implements pane.Overlay.
func (d *Confirm) Update(msg tea.Msg) (pane.Action, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return pane.Stay, nil
	}
	km := d.ctx.Keys
	switch {
	case k.String() == "y" || k.String() == "Y":
		return pane.Close, d.onYes()
	case k.String() == "n" || k.String() == "N" || key.Matches(k, km.Dismiss.Binding):
		return pane.Close, nil
	case key.Matches(k, km.Confirm.Binding):
		if d.focusYes {
			return pane.Close, d.onYes()
		}
		return pane.Close, nil
	case k.String() == "left" || k.String() == "right" || k.String() == "h" || k.String() == "l" ||
		key.Matches(k, km.NextField.Binding, km.PrevField.Binding):
		d.focusYes = !d.focusYes
	}
	return pane.Stay, nil
}

// SetSize implements pane.Overlay.
func (d *Confirm) SetSize(w, h int) { d.w, d.h = w, h }

// Render implements pane.Overlay.
func (d *Confirm) Render() []string {
	st, w, h := d.ctx.Styles, d.w, d.h
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
	return kit.Lines(lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box))
}
