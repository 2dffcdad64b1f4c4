package theme

import (
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// TextArea returns textarea styles in the theme. The cursor does not blink:
// a blinking cursor is a timer that wakes the program twice a second.
func (s *Styles) TextArea() textarea.Styles {
	focused := textarea.StyleState{
		Base:        lipgloss.NewStyle(),
		Text:        lipgloss.NewStyle(),
		Placeholder: s.Muted,
		Prompt:      s.Accent,
		Selection:   lipgloss.NewStyle().Reverse(true),
		CursorLine:  lipgloss.NewStyle(),
		EndOfBuffer: s.Muted,
		LineNumber:  s.Muted,
	}
	blurred := focused
	blurred.Prompt = s.Muted
	blurred.Text = s.Muted
	return textarea.Styles{Focused: focused, Blurred: blurred, Cursor: textarea.CursorStyle{
		Color: s.Theme.Palette.Focus, Shape: tea.CursorBlock, Blink: false,
	}}
}

// TextInput returns textinput styles in the theme (no blinking either).
func (s *Styles) TextInput() textinput.Styles {
	state := textinput.StyleState{Text: lipgloss.NewStyle(), Placeholder: s.Muted, Suggestion: s.Muted, Prompt: s.Accent}
	blurred := state
	blurred.Prompt = s.Muted
	return textinput.Styles{Focused: state, Blurred: blurred, Cursor: textinput.CursorStyle{
		Color: s.Theme.Palette.Focus, Shape: tea.CursorBlock, Blink: false,
	}}
}
