package overlay

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// Form is a dialog of fields with a submit button. It keeps what was typed
// when submitting fails, and asks before throwing away typed text.
type Form struct {
	ctx       *pane.Context
	w, h      int
	title     string
	fields    []Field
	focus     int // len(fields) is the submit button
	submitTxt string
	err       string
	busy      bool
	dirty     bool
	discard   bool // esc pressed once on a dirty form
	top       int  // the first field line shown when the form is taller than the screen
	// Note is a line of context under the title (what the form acts on);
	// the caller sanitises it.
	Note string
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

func (f *Form) Get(name string) Field {
	for _, fld := range f.fields {
		if fld.Name() == name {
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
		f.fields[f.focus].blur()
	}
	f.focus = i
	if i < len(f.fields) {
		return f.fields[i].focus()
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
	var fld Field
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
	move, edited, cmd := fld.key(k)
	f.dirty = f.dirty || edited
	if move != 0 {
		return pane.Stay, f.FocusField(f.focus + move)
	}
	return pane.Stay, cmd
}

// edit passes a paste to the focused text field.
func (f *Form) edit(p tea.PasteMsg) tea.Cmd {
	if f.focus >= len(f.fields) {
		return nil
	}
	e, ok := f.fields[f.focus].(editor)
	if !ok {
		return nil
	}
	f.dirty = true
	return e.edit(p)
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
		fld.setWidth(fieldW)
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
		if focused {
			focusFrom = len(lines)
		}
		m := fld.meta()
		label := kit.FitCell(m.label, labelW, false)
		if focused {
			label = st.Accent.Render(label)
		} else {
			label = st.Muted.Render(label)
		}
		value := fld.view(st, fieldW, focused)
		for j, v := range value {
			l := strings.Repeat(" ", labelW)
			if j == 0 {
				l = label
			}
			lines = append(lines, l+"  "+v)
		}
		help := m.help
		if d, ok := fld.(interface{ helpText() string }); ok {
			help = d.helpText()
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
	head := st.Bold.Render(f.title) + "\n\n"
	chrome := formChrome
	if f.Note != "" {
		head += ansi.Truncate(f.Note, inner, "…") + "\n\n"
		chrome += 2
	}
	lines = f.window(lines, focusFrom, focusTo, h-len(tail)-chrome)
	box := st.Dialog.Render(head + strings.Join(append(lines, tail...), "\n"))
	return kit.Lines(lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box))
}

// formChrome is the dialog's lines around its fields: border, padding,
// the title and the blank line under it.
const formChrome = 6

// window keeps the fields' lines to avail, scrolled so that the focused
// field's lines [from, to) show, with a marker where lines are hidden.
func (f *Form) window(lines []string, from, to, avail int) []string {
	if len(lines) <= avail {
		f.top = 0
		return lines
	}
	if avail < 3 { // no room for markers: the focused field alone
		return lines[from:min(to, from+max(avail, 1))]
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

// Focused is the name of the focused field ("" on the submit button).
func (f *Form) Focused() string {
	if f.focus < len(f.fields) {
		return f.fields[f.focus].Name()
	}
	return ""
}
