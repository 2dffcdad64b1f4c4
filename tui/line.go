package tui

import (
	"maps"
	"slices"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
)

// Line implements pane.Host: it opens the line input for the current view
// (its filter or search, with the text it has) or for a ":" command.
func (m *Model) Line(kind pane.LineKind) tea.Cmd {
	v := m.views[m.current]
	ti := textinput.New()
	ti.SetStyles(m.ctx.Styles.TextInput())
	ti.SetWidth(max(m.w-12, 10))
	value := ""
	switch kind {
	case pane.LineCommand:
		ti.Prompt = ":"
		ti.ShowSuggestions = true
		ti.SetSuggestions(m.commands())
	case pane.LineSearch:
		s, ok := v.(pane.Searchable)
		if !ok {
			return nil
		}
		ti.Prompt, value = "search: ", s.Query()
	default:
		f, ok := v.(pane.Filterable)
		if !ok {
			return nil
		}
		ti.Prompt, value = "filter: ", f.Filter()
	}
	ti.SetValue(value)
	ti.CursorEnd()
	m.ctx.Line = pane.Line{Kind: kind, Input: &ti}
	return ti.Focus()
}

func (m *Model) onLineKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "enter":
		value := strings.TrimSpace(m.ctx.Line.Input.Value())
		if m.ctx.Line.Kind == pane.LineCommand {
			if s := m.ctx.Line.Input.CurrentSuggestion(); s != "" && value != "" && strings.HasPrefix(s, value) {
				value = s
			}
			m.ctx.Line = pane.Line{}
			return m.runCommand(value)
		}
		m.ctx.Line = pane.Line{} // keep the filter / search as typed
		return nil
	case "esc":
		command := m.ctx.Line.Kind == pane.LineCommand
		m.ctx.Line.Input.SetValue("")
		cmd := m.lineChanged()
		if command {
			cmd = nil
		}
		m.ctx.Line = pane.Line{}
		return cmd
	}
	var cmd tea.Cmd
	*m.ctx.Line.Input, cmd = m.ctx.Line.Input.Update(k)
	return tea.Batch(cmd, m.lineChanged())
}

// lineChanged applies the line live: the filter narrows as you type.
func (m *Model) lineChanged() tea.Cmd {
	text := m.ctx.Line.Input.Value()
	switch v := m.views[m.current]; m.ctx.Line.Kind {
	case pane.LineSearch:
		if s, ok := v.(pane.Searchable); ok {
			return s.SetQuery(text)
		}
	case pane.LineFilter:
		if f, ok := v.(pane.Filterable); ok {
			return f.SetFilter(text)
		}
	}
	return nil
}

// commands are the ":" names offered for completion: the views', in tab
// order, then the saved filters, help and quit.
func (m *Model) commands() []string {
	out := make([]string, 0, len(m.views)+len(m.ctx.Filters)+2)
	for _, v := range m.views {
		out = append(out, v.About().Name)
	}
	if m.ctx.Fleet != nil {
		out = append(out, "ctx")
	}
	return append(append(out, slices.Sorted(maps.Keys(m.ctx.Filters))...), "help", "quit")
}

// runCommand runs a ":" command: a view's name or alias, help or quit.
func (m *Model) runCommand(c string) tea.Cmd {
	lc := strings.ToLower(c)
	switch lc {
	case "":
		return m.switchView(0)
	case "help", "h", "?":
		m.Open(overlay.NewHelp(m.ctx))
		return nil
	case "q", "quit", "exit":
		return m.quit()
	}
	if cmd, ok := m.contextCommand(c); ok {
		return cmd
	}
	for i, v := range m.views {
		info := v.About()
		if lc != info.Name && !slices.Contains(info.Aliases, lc) {
			continue
		}
		return m.switchView(i)
	}
	if f, ok := m.ctx.Filters[lc]; ok { // a saved filter: the executions, filtered
		cmd := m.switchView(0)
		if fv, ok := m.views[0].(pane.Filterable); ok {
			cmd = tea.Batch(cmd, fv.SetFilter(f))
		}
		m.Flash(pane.Note, ":"+lc+" — /"+f+" (esc clears)")
		return cmd
	}
	names := make([]string, 0, len(m.views))
	for _, n := range m.commands()[:len(m.views)] {
		names = append(names, ":"+n)
	}
	m.Flash(pane.Err, "Unknown command :"+c+" — try "+strings.Join(names, ", ")+".")
	return nil
}
