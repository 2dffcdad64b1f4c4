package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// fieldKind is a form field's input.
type fieldKind int

const (
	fieldText   fieldKind = iota // one line
	fieldSecret                  // one line, echoed as •
	fieldArea                    // several lines
	fieldSelect                  // one of options (←/→)
	fieldToggle                  // on/off (space, ←/→)
)

// option is a select field's choice: Value is returned, Label shown.
type option struct{ Value, Label string }

type formField struct {
	name    string // how submit finds it
	label   string
	help    string
	kind    fieldKind
	input   textinput.Model
	area    textarea.Model
	options []option
	sel     int
	on      bool
}

func (f *formField) value() string {
	switch f.kind {
	case fieldArea:
		return f.area.Value()
	case fieldSelect:
		if len(f.options) == 0 {
			return ""
		}
		return f.options[f.sel].Value
	case fieldToggle:
		if f.on {
			return "true"
		}
		return ""
	}
	return f.input.Value()
}

// form is a dialog of fields with a submit button. It keeps what was typed
// when submitting fails, and asks before throwing away typed text.
type form struct {
	st        *theme.Styles
	title     string
	fields    []*formField
	focus     int // len(fields) is the submit button
	submitTxt string
	err       string
	busy      bool
	dirty     bool
	discard   bool // esc pressed once on a dirty form
	// submit validates and returns the Cmd doing the work; a returned
	// error is shown in the form. The Cmd's result is a formDoneMsg.
	submit func(m *Model, f *form) (tea.Cmd, error)
}

func newForm(st *theme.Styles, title, submit string) *form {
	return &form{st: st, title: title, submitTxt: submit}
}

// formDoneMsg ends a form's submission: on success the form closes and the
// flash says what happened; on failure the form stays, with what was typed,
// and shows the error. If the form was closed meanwhile, the flash reports
// either way.
type formDoneMsg struct {
	form *form
	ok   string // flash on success
	err  error
	then func(m *Model) tea.Cmd // after success (select the new execution …)
}

func (m *Model) onFormDone(msg formDoneMsg) tea.Cmd {
	open := m.overlay == overlay(msg.form)
	if msg.err != nil {
		if open {
			msg.form.busy, msg.form.err = false, errText(msg.err)
			return nil
		}
		m.setFlash(flashErr, msg.form.title+" failed: "+errText(msg.err))
		return nil
	}
	m.setFlash(flashInfo, msg.ok)
	var cmd tea.Cmd
	if open {
		m.overlay = nil
		// Only while the operator is still here: a form closed while it
		// worked must not move the selection or the keyboard later.
		if msg.then != nil {
			cmd = msg.then(m)
		}
	}
	return tea.Batch(cmd, m.nudge())
}

func (f *form) text(name, label, help, value string) *formField {
	ti := textinput.New()
	ti.SetStyles(f.st.TextInput())
	ti.SetValue(value)
	ti.Prompt = ""
	fld := &formField{name: name, label: label, help: help, kind: fieldText, input: ti}
	f.fields = append(f.fields, fld)
	return fld
}

func (f *form) secret(name, label, help string) *formField {
	fld := f.text(name, label, help, "")
	fld.kind = fieldSecret
	fld.input.EchoMode = textinput.EchoPassword
	fld.input.EchoCharacter = '•'
	return fld
}

func (f *form) textArea(name, label, help, value string) *formField {
	ta := textarea.New()
	ta.SetStyles(f.st.TextArea())
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.SetHeight(3)
	ta.SetValue(value)
	fld := &formField{name: name, label: label, help: help, kind: fieldArea, area: ta}
	f.fields = append(f.fields, fld)
	return fld
}

func (f *form) choice(name, label, help string, opts []option, value string) *formField {
	fld := &formField{name: name, label: label, help: help, kind: fieldSelect, options: opts}
	for i, o := range opts {
		if o.Value == value {
			fld.sel = i
		}
	}
	f.fields = append(f.fields, fld)
	return fld
}

func (f *form) toggle(name, label, help string, on bool) *formField {
	fld := &formField{name: name, label: label, help: help, kind: fieldToggle, on: on}
	f.fields = append(f.fields, fld)
	return fld
}

func (f *form) get(name string) *formField {
	for _, fld := range f.fields {
		if fld.name == name {
			return fld
		}
	}
	return nil
}

// focusField moves the focus, blurring and focusing the inputs.
func (f *form) focusField(i int) tea.Cmd {
	n := len(f.fields) + 1
	i = (i%n + n) % n
	if f.focus < len(f.fields) {
		f.fields[f.focus].input.Blur()
		f.fields[f.focus].area.Blur()
	}
	f.focus = i
	if i < len(f.fields) {
		switch fld := f.fields[i]; fld.kind {
		case fieldText, fieldSecret:
			return fld.input.Focus()
		case fieldArea:
			return fld.area.Focus()
		}
	}
	return nil
}

func (f *form) update(m *Model, msg tea.Msg) (overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		return f, f.edit(msg)
	case tea.KeyPressMsg:
		return f.onKey(m, msg)
	}
	return f, nil
}

func (f *form) onKey(m *Model, k tea.KeyPressMsg) (overlay, tea.Cmd) {
	km := m.keys
	if key.Matches(k, km.Dismiss.Binding) {
		if f.dirty && !f.discard {
			f.discard = true
			f.err = "Unsaved changes: press esc again to discard them."
			return f, nil
		}
		return nil, nil
	}
	f.discard = false
	if f.busy {
		return f, nil
	}
	var fld *formField
	if f.focus < len(f.fields) {
		fld = f.fields[f.focus]
	}
	switch {
	case k.String() == "ctrl+s":
		return f, f.trySubmit(m)
	case k.String() == "tab" || k.String() == "shift+tab":
		d := 1
		if k.String() == "shift+tab" {
			d = -1
		}
		return f, f.focusField(f.focus + d)
	case fld == nil && key.Matches(k, km.Confirm.Binding):
		return f, f.trySubmit(m)
	case fld == nil && key.Matches(k, km.NextField.Binding):
		return f, f.focusField(0)
	case fld == nil && key.Matches(k, km.PrevField.Binding):
		return f, f.focusField(f.focus - 1)
	case fld == nil:
		return f, nil
	}
	switch fld.kind {
	case fieldSelect, fieldToggle:
		switch k.String() {
		case "left", "h":
			fld.cycle(-1)
		case "right", "l", "space", " ":
			fld.cycle(1)
		case "enter", "down":
			return f, f.focusField(f.focus + 1)
		case "up":
			return f, f.focusField(f.focus - 1)
		}
		f.dirty = true
		return f, nil
	case fieldArea:
		if k.String() == "up" && fld.area.Line() == 0 {
			return f, f.focusField(f.focus - 1)
		}
		if k.String() == "down" && fld.area.Line() == fld.area.LineCount()-1 {
			return f, f.focusField(f.focus + 1)
		}
	default:
		switch k.String() {
		case "enter", "down":
			return f, f.focusField(f.focus + 1)
		case "up":
			return f, f.focusField(f.focus - 1)
		}
	}
	return f, f.edit(k)
}

// edit passes a key or paste to the focused text field.
func (f *form) edit(msg tea.Msg) tea.Cmd {
	if f.focus >= len(f.fields) {
		return nil
	}
	fld := f.fields[f.focus]
	var cmd tea.Cmd
	switch fld.kind {
	case fieldArea:
		fld.area, cmd = fld.area.Update(msg)
	case fieldText, fieldSecret:
		fld.input, cmd = fld.input.Update(msg)
	default:
		return nil
	}
	f.dirty = true
	return cmd
}

func (fld *formField) cycle(d int) {
	if fld.kind == fieldToggle {
		fld.on = !fld.on
		return
	}
	if n := len(fld.options); n > 0 {
		fld.sel = (fld.sel + d + n) % n
	}
}

func (f *form) trySubmit(m *Model) tea.Cmd {
	cmd, err := f.submit(m, f)
	if err != nil {
		f.err = sanitize.Line(err.Error())
		return nil
	}
	f.err, f.busy = "", true
	return cmd
}

// form geometry: a label column and a field column inside the dialog.
const formLabelW = 16

func formInner(w int) int { return min(w-8, 76) }

// setWidth sizes the text fields for a screen width (from Model.layout).
func (f *form) setWidth(w int) {
	fieldW := formInner(w) - formLabelW - 2
	for _, fld := range f.fields {
		switch fld.kind {
		case fieldText, fieldSecret:
			fld.input.SetWidth(max(fieldW-1, 4))
		case fieldArea:
			fld.area.SetWidth(max(fieldW, 4))
		}
	}
}

func (f *form) view(m *Model, w, h int) string {
	st := m.st
	inner := formInner(w)
	labelW := formLabelW
	fieldW := inner - labelW - 2
	var lines []string
	for i, fld := range f.fields {
		focused := i == f.focus
		label := fitCell(fld.label, labelW, false)
		if focused {
			label = st.Accent.Render(label)
		} else {
			label = st.Muted.Render(label)
		}
		var value []string
		switch fld.kind {
		case fieldText, fieldSecret:
			value = []string{fld.input.View()}
		case fieldArea:
			value = strings.Split(fld.area.View(), "\n")
		case fieldSelect:
			cur := "—"
			if len(fld.options) > 0 {
				cur = sanitize.Line(fld.options[fld.sel].Label)
			}
			value = []string{"‹ " + ansi.Truncate(cur, fieldW-4, "…") + " ›"}
		case fieldToggle:
			box := "[ ]"
			if fld.on {
				box = "[x]"
			}
			value = []string{box}
		}
		if focused && fld.kind != fieldArea && fld.kind != fieldText && fld.kind != fieldSecret {
			value[0] = st.Selected.Render(value[0])
		}
		for j, v := range value {
			l := strings.Repeat(" ", labelW)
			if j == 0 {
				l = label
			}
			lines = append(lines, l+"  "+v)
		}
		if focused && fld.help != "" {
			lines = append(lines, strings.Repeat(" ", labelW+2)+st.Muted.Render(ansi.Truncate(fld.help, fieldW, "…")))
		}
	}
	button := st.Button.Render(f.submitTxt)
	if f.focus == len(f.fields) {
		button = st.ButtonFocused.Render(f.submitTxt)
	}
	if f.busy {
		button = st.Muted.Render("Working…")
	}
	lines = append(lines, "", lipgloss.PlaceHorizontal(inner, lipgloss.Right, button))
	if f.err != "" {
		lines = append(lines, st.Err.Render(ansi.Truncate(f.err, inner, "…")))
	}
	lines = append(lines, st.Muted.Render("tab next · shift+tab back · ctrl+s submit · esc cancel"))
	box := st.Dialog.Render(st.Bold.Render(f.title) + "\n\n" + strings.Join(lines, "\n"))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}
