package overlay

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// fieldKind is a form field's input.
type fieldKind int

const (
	fieldText   fieldKind = iota // one line
	fieldSecret                  // one line, echoed as •
	fieldArea                    // several lines
	fieldSelect                  // one of options (←/→, or type to filter)
	fieldToggle                  // on/off (space, ←/→)
)

// Option is a select field's choice: Value is returned, Label shown.
type Option struct{ Value, Label string }

// Field is one of a form's inputs.
type Field struct {
	name    string // how submit finds it
	label   string
	help    string
	kind    fieldKind
	input   textinput.Model
	area    textarea.Model
	options []Option
	sel     int
	query   string // a select's filter, typed while it is focused
	on      bool
	// Describe, for a select, is the help shown for the chosen option
	// (what the platform says of it); nil: help.
	Describe func(Option) string
}

// Value is what the field holds (a select's chosen value, "true" for a set toggle).
func (f *Field) Value() string {
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

// Form is a dialog of fields with a submit button. It keeps what was typed
// when submitting fails, and asks before throwing away typed text.
type Form struct {
	ctx       *pane.Context
	w, h      int
	title     string
	fields    []*Field
	focus     int // len(fields) is the submit button
	submitTxt string
	err       string
	busy      bool
	dirty     bool
	discard   bool // esc pressed once on a dirty form
	top       int  // the first field line shown when the form is taller than the screen
	// submit validates and returns the Cmd doing the work; a returned
	// error is shown in the form. The Cmd's result is a formDoneMsg.
	Submit func(f *Form) (tea.Cmd, error)
}

// NewForm returns an empty form; add fields, set Submit, then Host.Open it
// and return its FocusField(0).
func NewForm(ctx *pane.Context, title, submit string) *Form {
	return &Form{ctx: ctx, title: title, submitTxt: submit}
}

// Title is the form's title.
func (f *Form) Title() string { return f.title }

// Done ends a form's submission: on success the form closes and the
// flash says what happened; on failure the form stays, with what was typed,
// and shows the error. If the form was closed meanwhile, the flash reports
// either way.
type Done struct {
	Form *Form
	OK   string // flash on success
	Err  error
	Then func() tea.Cmd // after success, if the form is still open (select the new execution …)
}

func (f *Form) Text(name, label, help, value string) *Field {
	ti := textinput.New()
	ti.SetStyles(f.ctx.Styles.TextInput())
	ti.SetValue(value)
	ti.Prompt = ""
	fld := &Field{name: name, label: label, help: help, kind: fieldText, input: ti}
	f.fields = append(f.fields, fld)
	return fld
}

func (f *Form) Secret(name, label, help string) *Field {
	fld := f.Text(name, label, help, "")
	fld.kind = fieldSecret
	fld.input.EchoMode = textinput.EchoPassword
	fld.input.EchoCharacter = '•'
	return fld
}

func (f *Form) TextArea(name, label, help, value string) *Field {
	ta := textarea.New()
	ta.SetStyles(f.ctx.Styles.TextArea())
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.SetHeight(3)
	ta.SetValue(value)
	fld := &Field{name: name, label: label, help: help, kind: fieldArea, area: ta}
	f.fields = append(f.fields, fld)
	return fld
}

func (f *Form) Choice(name, label, help string, opts []Option, value string) *Field {
	fld := &Field{name: name, label: label, help: help, kind: fieldSelect, options: opts}
	for i, o := range opts {
		if o.Value == value {
			fld.sel = i
		}
	}
	f.fields = append(f.fields, fld)
	return fld
}

func (f *Form) Toggle(name, label, help string, on bool) *Field {
	fld := &Field{name: name, label: label, help: help, kind: fieldToggle, on: on}
	f.fields = append(f.fields, fld)
	return fld
}

func (f *Form) Get(name string) *Field {
	for _, fld := range f.fields {
		if fld.name == name {
			return fld
		}
	}
	return nil
}

// focusField moves the focus, blurring and focusing the inputs.
func (f *Form) FocusField(i int) tea.Cmd {
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

// Update implements pane.Overlay.
func (f *Form) Update(msg tea.Msg) (pane.Action, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		return pane.Stay, f.edit(msg)
	case tea.KeyPressMsg:
		return f.onKey(msg)
	}
	return pane.Stay, nil
}

// Failed shows a submission's error in the form, keeping what was typed.
func (f *Form) Failed(err error) { f.busy, f.err = false, kit.ErrText(err) }

func (f *Form) onKey(k tea.KeyPressMsg) (pane.Action, tea.Cmd) {
	km := f.ctx.Keys
	if key.Matches(k, km.Dismiss.Binding) {
		if f.dirty && !f.discard {
			f.discard = true
			f.err = "Unsaved changes: press esc again to discard them."
			return pane.Stay, nil
		}
		return pane.Close, nil
	}
	f.discard = false
	if f.busy {
		return pane.Stay, nil
	}
	var fld *Field
	if f.focus < len(f.fields) {
		fld = f.fields[f.focus]
	}
	switch {
	case k.String() == "ctrl+s":
		return pane.Stay, f.trySubmit()
	case k.String() == "tab" || k.String() == "shift+tab":
		d := 1
		if k.String() == "shift+tab" {
			d = -1
		}
		return pane.Stay, f.FocusField(f.focus + d)
	case fld == nil && key.Matches(k, km.Confirm.Binding):
		return pane.Stay, f.trySubmit()
	case fld == nil && key.Matches(k, km.NextField.Binding):
		return pane.Stay, f.FocusField(0)
	case fld == nil && key.Matches(k, km.PrevField.Binding):
		return pane.Stay, f.FocusField(f.focus - 1)
	case fld == nil:
		return pane.Stay, nil
	}
	switch fld.kind {
	case fieldSelect, fieldToggle:
		switch k.String() {
		case "left":
			fld.cycle(-1)
		case "right", "space", " ":
			fld.cycle(1)
		case "h":
			if fld.kind == fieldToggle {
				fld.cycle(-1)
			} else {
				fld.typed("h")
			}
		case "l":
			if fld.kind == fieldToggle {
				fld.cycle(1)
			} else {
				fld.typed("l")
			}
		case "enter", "down":
			return pane.Stay, f.FocusField(f.focus + 1)
		case "up":
			return pane.Stay, f.FocusField(f.focus - 1)
		case "backspace":
			if fld.query != "" {
				fld.typed("\b")
			}
		default:
			if t := k.Text; fld.kind == fieldSelect && t != "" && k.Mod&^tea.ModShift == 0 {
				fld.typed(t)
			}
		}
		f.dirty = true
		return pane.Stay, nil
	case fieldArea:
		if k.String() == "up" && fld.area.Line() == 0 {
			return pane.Stay, f.FocusField(f.focus - 1)
		}
		if k.String() == "down" && fld.area.Line() == fld.area.LineCount()-1 {
			return pane.Stay, f.FocusField(f.focus + 1)
		}
	default:
		switch k.String() {
		case "enter", "down":
			return pane.Stay, f.FocusField(f.focus + 1)
		case "up":
			return pane.Stay, f.FocusField(f.focus - 1)
		}
	}
	return pane.Stay, f.edit(k)
}

// edit passes a key or paste to the focused text field.
func (f *Form) edit(msg tea.Msg) tea.Cmd {
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

func (fld *Field) cycle(d int) {
	if fld.kind == fieldToggle {
		fld.on = !fld.on
		return
	}
	m := fld.matches()
	if len(m) == 0 {
		return
	}
	i := 0
	for j, o := range m {
		if o == fld.sel {
			i = j
		}
	}
	fld.sel = m[(i+d+len(m))%len(m)]
}

// typed edits a select's filter ("\b" deletes a character) and chooses
// its first match.
func (fld *Field) typed(t string) {
	if t == "\b" {
		r := []rune(fld.query)
		fld.query = string(r[:max(len(r)-1, 0)])
	} else {
		fld.query += t
	}
	if m := fld.matches(); len(m) > 0 {
		fld.sel = m[0]
	}
}

// matches are the options the filter keeps (their indices): substring
// matches, case-insensitively (a form lists few options).
func (fld *Field) matches() []int {
	q := strings.ToLower(fld.query)
	out := make([]int, 0, len(fld.options))
	for i, o := range fld.options {
		if q == "" || strings.Contains(strings.ToLower(o.Label), q) || strings.Contains(strings.ToLower(o.Value), q) {
			out = append(out, i)
		}
	}
	return out
}

func (f *Form) trySubmit() tea.Cmd {
	cmd, err := f.Submit(f)
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

// SetSize implements pane.Overlay: it sizes the text fields.
func (f *Form) SetSize(w, h int) {
	f.w, f.h = w, h
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

// Render implements pane.Overlay.
func (f *Form) Render() []string {
	st, w, h := f.ctx.Styles, f.w, f.h
	inner := formInner(w)
	labelW := formLabelW
	fieldW := inner - labelW - 2
	var lines []string
	focusFrom, focusTo := 0, 0 // the focused field's lines
	for i, fld := range f.fields {
		focused := i == f.focus
		label := kit.FitCell(fld.label, labelW, false)
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
			tail := ""
			if fld.query != "" {
				m := fld.matches()
				tail = fmt.Sprintf("  /%s %d of %d", sanitize.Line(fld.query), len(m), len(fld.options))
				if len(m) == 0 {
					tail = "  /" + sanitize.Line(fld.query) + " no match"
				}
			}
			value = []string{"‹ " + ansi.Truncate(cur, max(fieldW-4-ansi.StringWidth(tail), 4), "…") + " ›" + tail}
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
		if focused {
			focusFrom = len(lines)
		}
		for j, v := range value {
			l := strings.Repeat(" ", labelW)
			if j == 0 {
				l = label
			}
			lines = append(lines, l+"  "+v)
		}
		help := fld.help
		if fld.Describe != nil && len(fld.options) > 0 {
			if d := fld.Describe(fld.options[fld.sel]); d != "" {
				help = d
			}
		}
		if focused && help != "" {
			lines = append(lines, strings.Repeat(" ", labelW+2)+st.Muted.Render(ansi.Truncate(sanitize.Line(help), fieldW, "…")))
		}
		if focused {
			focusTo = len(lines)
		}
	}
	button := st.Button.Render(f.submitTxt)
	if f.focus == len(f.fields) {
		button = st.ButtonFocused.Render(f.submitTxt)
	}
	if f.busy {
		button = st.Muted.Render("Working…")
	}
	tail := []string{"", lipgloss.PlaceHorizontal(inner, lipgloss.Right, button)}
	if f.err != "" {
		tail = append(tail, st.Err.Render(ansi.Truncate(f.err, inner, "…")))
	}
	tail = append(tail, st.Muted.Render(ansi.Truncate("tab next · shift+tab back · ctrl+s submit · esc cancel", inner, "…")))
	lines = f.window(lines, focusFrom, focusTo, h-len(tail)-formChrome)
	box := st.Dialog.Render(st.Bold.Render(f.title) + "\n\n" + strings.Join(append(lines, tail...), "\n"))
	return kit.Lines(lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box))
}

// formChrome is the dialog's lines around its fields: border, padding,
// the title and the blank line under it.
const formChrome = 6

// window keeps the fields' lines to avail, scrolled so that the focused
// field's lines [from, to) show, with a marker where lines are hidden.
func (f *Form) window(lines []string, from, to, avail int) []string {
	if len(lines) <= avail || avail < 3 {
		f.top = 0
		if avail < 3 && len(lines) > max(avail, 1) {
			return lines[from:min(to, from+max(avail, 1))]
		}
		return lines
	}
	inner := avail - 2 // a marker line above and below
	if from < f.top {
		f.top = from
	}
	if to > f.top+inner {
		f.top = to - inner
	}
	f.top = max(min(f.top, len(lines)-inner), 0)
	muted := f.ctx.Styles.Muted
	up, down := "", ""
	if f.top > 0 {
		up = muted.Render("↑ more fields above")
	}
	if f.top+inner < len(lines) {
		down = muted.Render("↓ more fields below")
	}
	out := make([]string, 0, avail)
	out = append(out, up)
	out = append(out, lines[f.top:f.top+inner]...)
	return append(out, down)
}

// On reports whether a toggle is set.
func (fld *Field) On() bool { return fld.on }

// Label is a select's chosen label.
func (fld *Field) Label() string {
	if len(fld.options) == 0 {
		return ""
	}
	return fld.options[fld.sel].Label
}

// Focused is the name of the focused field ("" on the submit button).
func (f *Form) Focused() string {
	if f.focus < len(f.fields) {
		return f.fields[f.focus].name
	}
	return ""
}
