package tui

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
)

// onKey routes a key press. Order matters: ctrl+c always quits; an open
// overlay, the line input and a capturing pane (the reply box) each take
// every other key, so typing "q", "?", ":" or "/" into them types it; then
// the global keys; then the current view.
func (m *Model) onKey(k tea.KeyPressMsg) tea.Cmd {
	km := m.ctx.Keys
	if key.Matches(k, km.ForceQuit.Binding) {
		return m.quit()
	}
	if m.overlay != nil {
		return m.toOverlay(k)
	}
	if m.ctx.Line.Input != nil {
		return m.onLineKey(k)
	}
	v := m.views[m.current]
	if v.Capturing() {
		cmd, _ := v.HandleKey(k)
		return cmd
	}
	switch {
	case key.Matches(k, km.Quit.Binding):
		return m.quit()
	case key.Matches(k, km.Help.Binding):
		m.Open(overlay.NewHelp(m.ctx))
		return nil
	case key.Matches(k, km.Command.Binding):
		return m.Line(pane.LineCommand)
	case key.Matches(k, km.Refresh.Binding):
		m.Flash(pane.Note, "Refreshing…")
		return kit.Refresh(m.ctx.Source)
	case key.Matches(k, km.NextWaiting.Binding):
		return m.Show(pane.Target{NextWaiting: true})
	case key.Matches(k, km.NextView.Binding):
		return m.switchView(m.stepView(1))
	case key.Matches(k, km.PrevView.Binding):
		return m.switchView(m.stepView(-1))
	case key.Matches(k, km.Back.Binding):
		// The view undoes its latest narrowing; with none, back to the
		// first view.
		if cmd, ok := v.HandleKey(k); ok {
			return cmd
		}
		return m.switchView(0)
	}
	for i, a := range km.Views {
		if key.Matches(k, a.Binding) {
			return m.switchView(i)
		}
	}
	cmd, _ := v.HandleKey(k)
	return cmd
}

func (m *Model) quit() tea.Cmd {
	var cmds []tea.Cmd
	for _, v := range m.views {
		if k, ok := v.(pane.Keeper); ok {
			cmds = append(cmds, k.Keep())
		}
	}
	return tea.Sequence(tea.Batch(cmds...), tea.Quit)
}

// toOverlay gives a message to the open overlay, closing it when it asks.
func (m *Model) toOverlay(msg tea.Msg) tea.Cmd {
	if m.overlay == nil {
		return nil
	}
	o := m.overlay
	act, cmd := o.Update(msg)
	if act == pane.Close && m.overlay == o {
		m.overlay = nil
	}
	return cmd
}

// stepView is the view d tabs away, skipping those the platform lacks.
func (m *Model) stepView(d int) int {
	var avail []int
	for i, v := range m.views {
		if v.Available(m.ctx.Caps) && (v.About().Title != "" || i == m.current) {
			avail = append(avail, i) // a view without a tab is not stepped to
		}
	}
	i := slices.Index(avail, m.current)
	return avail[(i+d+len(avail))%len(avail)]
}

// switchView makes view i current; it learns so (a list rebuilds its rows).
// A view the platform lacks is refused.
func (m *Model) switchView(i int) tea.Cmd {
	if v := m.views[i]; !v.Available(m.ctx.Caps) {
		m.Flash(pane.Warn, "This platform has no "+v.About().Name+".")
		return nil
	}
	m.current = i
	return m.views[i].HandleMsg(pane.Shown{})
}

// onPaste gives pasted text to whatever is being typed into.
func (m *Model) onPaste(p tea.PasteMsg) tea.Cmd {
	switch v := m.views[m.current]; {
	case m.overlay != nil:
		return m.toOverlay(p)
	case m.ctx.Line.Input != nil:
		var cmd tea.Cmd
		*m.ctx.Line.Input, cmd = m.ctx.Line.Input.Update(p)
		return tea.Batch(cmd, m.lineChanged())
	case v.Capturing():
		return v.HandleMsg(p)
	}
	return nil
}
