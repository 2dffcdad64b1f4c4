package overlay

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// editor is a field that takes pastes (the text fields).
type editor interface{ edit(tea.Msg) tea.Cmd }

// Field is one of a form's inputs; each kind is its own type (Text, Area,
// Choice, Toggle).
type Field interface {
	// Name is how submit finds it.
	Name() string
	// Value is what it holds: the text, a choice's value, "true" for a set
	// toggle.
	Value() string

	meta() *fieldMeta
	focus() tea.Cmd
	blur()
	// key handles a key while the field is focused: move is -1/+1 to move
	// the focus, edited whether the form now has unsaved changes.
	key(k tea.KeyPressMsg) (move int, edited bool, cmd tea.Cmd)
	setWidth(fieldW int)
	// view is the field's lines, without the label; a choice or toggle is
	// highlighted while focused.
	view(st *theme.Styles, fieldW int, focused bool) []string
}

type fieldMeta struct{ name, label, help string }

func (m *fieldMeta) meta() *fieldMeta { return m }
func (m *fieldMeta) Name() string     { return m.name }

// Option is a choice's option: Value is returned, Label shown.
type Option struct{ Value, Label string }

// Text is a one-line text field (a secret one echoes •).
type Text struct {
	fieldMeta
	input textinput.Model
}

// Value implements Field.
func (t *Text) Value() string                          { return t.input.Value() }
func (t *Text) focus() tea.Cmd                         { return t.input.Focus() }
func (t *Text) blur()                                  { t.input.Blur() }
func (t *Text) setWidth(fw int)                        { t.input.SetWidth(max(fw-1, 4)) }
func (t *Text) view(*theme.Styles, int, bool) []string { return []string{t.input.View()} }

func (t *Text) key(k tea.KeyPressMsg) (int, bool, tea.Cmd) {
	switch k.String() {
	case "enter", "down":
		return 1, false, nil
	case "up":
		return -1, false, nil
	}
	return 0, true, t.edit(k)
}

// edit gives the text box a key or a paste.
func (t *Text) edit(msg tea.Msg) (cmd tea.Cmd) {
	t.input, cmd = t.input.Update(msg)
	return cmd
}

// Area is a text field of several lines.
type Area struct {
	fieldMeta
	area textarea.Model
}

// Value implements Field.
func (a *Area) Value() string   { return a.area.Value() }
func (a *Area) focus() tea.Cmd  { return a.area.Focus() }
func (a *Area) blur()           { a.area.Blur() }
func (a *Area) setWidth(fw int) { a.area.SetWidth(max(fw, 4)) }
func (a *Area) view(*theme.Styles, int, bool) []string {
	return strings.Split(a.area.View(), "\n")
}

func (a *Area) key(k tea.KeyPressMsg) (int, bool, tea.Cmd) {
	if k.String() == "up" && a.area.Line() == 0 {
		return -1, false, nil
	}
	if k.String() == "down" && a.area.Line() == a.area.LineCount()-1 {
		return 1, false, nil
	}
	return 0, true, a.edit(k)
}

// edit gives the text box a key or a paste.
func (a *Area) edit(msg tea.Msg) (cmd tea.Cmd) {
	a.area, cmd = a.area.Update(msg)
	return cmd
}

// cycler is what Choice and Toggle share: ←/→ (and space) change them,
// enter and ↓ move on, ↑ back.
type cycler struct{ fieldMeta }

func (cycler) focus() tea.Cmd                     { return nil }
func (cycler) blur()                              {}
func (cycler) setWidth(int)                       {}
func (cycler) paste(tea.PasteMsg) (bool, tea.Cmd) { return false, nil }
func cycleKey(k tea.KeyPressMsg) (d, move int) {
	switch k.String() {
	case "left", "h":
		return -1, 0
	case "right", "l", "space", " ":
		return 1, 0
	case "enter", "down":
		return 0, 1
	case "up":
		return 0, -1
	}
	return 0, 0
}

// Choice is one of several options: ←/→ (and space) step through them,
// typing filters them (backspace undoes), the first match chosen.
type Choice struct {
	cycler
	options []Option
	sel     int
	query   string // the filter typed while it is focused
	// Describe is the help shown for the chosen option (what the platform
	// says of it); nil or "": the field's help.
	Describe func(Option) string
}

// Value implements Field: the chosen option's value.
func (c *Choice) Value() string {
	if len(c.options) == 0 {
		return ""
	}
	return c.options[c.sel].Value
}

// Label is the chosen option's label.
func (c *Choice) Label() string {
	if len(c.options) == 0 {
		return ""
	}
	return c.options[c.sel].Label
}

func (c *Choice) key(k tea.KeyPressMsg) (int, bool, tea.Cmd) {
	switch s := k.String(); {
	case s == "backspace":
		if r := []rune(c.query); len(r) > 0 {
			c.filter(string(r[:len(r)-1]))
		}
		return 0, true, nil
	case s == "h" || s == "l" || (k.Text != "" && s != "space" && s != " " && k.Mod&^tea.ModShift == 0):
		c.filter(c.query + k.Text)
		return 0, true, nil
	}
	d, move := cycleKey(k)
	if m := c.matches(); d != 0 && len(m) > 0 {
		i := 0
		for j, o := range m {
			if o == c.sel {
				i = j
			}
		}
		c.sel = m[(i+d+len(m))%len(m)]
	}
	return move, move == 0, nil
}

// filter sets the filter and chooses its first match.
func (c *Choice) filter(q string) {
	c.query = q
	if m := c.matches(); len(m) > 0 {
		c.sel = m[0]
	}
}

// matches are the options the filter keeps (indices): a case-insensitive
// substring of the label or value (a form lists few options).
func (c *Choice) matches() []int {
	q := strings.ToLower(c.query)
	out := make([]int, 0, len(c.options))
	for i, o := range c.options {
		if q == "" || strings.Contains(strings.ToLower(o.Label), q) || strings.Contains(strings.ToLower(o.Value), q) {
			out = append(out, i)
		}
	}
	return out
}

func (c *Choice) view(st *theme.Styles, fieldW int, focused bool) []string {
	cur := "—"
	if len(c.options) > 0 {
		cur = sanitize.Line(c.options[c.sel].Label)
	}
	tail := ""
	if c.query != "" {
		m := c.matches()
		tail = fmt.Sprintf("  /%s %d of %d", sanitize.Line(c.query), len(m), len(c.options))
		if len(m) == 0 {
			tail = "  /" + sanitize.Line(c.query) + " no match"
		}
	}
	return []string{highlight(st, "‹ "+ansi.Truncate(cur, max(fieldW-4-ansi.StringWidth(tail), 4), "…")+" ›", focused) + tail}
}

// helpText is the help under the focused choice: what Describe says of the
// chosen option, else the field's help.
func (c *Choice) helpText() string {
	if c.Describe != nil && len(c.options) > 0 {
		if d := c.Describe(c.options[c.sel]); d != "" {
			return d
		}
	}
	return c.help
}

// Toggle is on or off.
type Toggle struct {
	cycler
	on bool
}

// Value implements Field: "true" when set.
func (t *Toggle) Value() string {
	if t.on {
		return "true"
	}
	return ""
}

// On reports whether it is set.
func (t *Toggle) On() bool { return t.on }

func (t *Toggle) key(k tea.KeyPressMsg) (int, bool, tea.Cmd) {
	d, move := cycleKey(k)
	if d != 0 {
		t.on = !t.on
	}
	return move, move == 0, nil
}

func (t *Toggle) view(st *theme.Styles, _ int, focused bool) []string {
	box := "[ ]"
	if t.on {
		box = "[x]"
	}
	return []string{highlight(st, box, focused)}
}

func highlight(st *theme.Styles, s string, focused bool) string {
	if focused {
		return st.Selected.Render(s)
	}
	return s
}

// --- building a form ---------------------------------------------------------

// Text adds a one-line text field.
func (f *Form) Text(name, label, help, value string) *Text {
	ti := textinput.New()
	ti.SetStyles(f.ctx.Styles.TextInput())
	ti.SetValue(value)
	ti.Prompt = ""
	t := &Text{fieldMeta: fieldMeta{name, label, help}, input: ti}
	f.fields = append(f.fields, t)
	return t
}

// Secret adds a one-line field echoed as •.
func (f *Form) Secret(name, label, help string) *Text {
	t := f.Text(name, label, help, "")
	t.input.EchoMode = textinput.EchoPassword
	t.input.EchoCharacter = '•'
	return t
}

// TextArea adds a text field of several lines.
func (f *Form) TextArea(name, label, help, value string) *Area {
	ta := textarea.New()
	ta.SetStyles(f.ctx.Styles.TextArea())
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.SetHeight(3)
	ta.SetValue(value)
	a := &Area{fieldMeta: fieldMeta{name, label, help}, area: ta}
	f.fields = append(f.fields, a)
	return a
}

// Choice adds a choice of options, value preselected.
func (f *Form) Choice(name, label, help string, opts []Option, value string) *Choice {
	c := &Choice{cycler: cycler{fieldMeta{name, label, help}}, options: opts}
	for i, o := range opts {
		if o.Value == value {
			c.sel = i
		}
	}
	f.fields = append(f.fields, c)
	return c
}

// Toggle adds an on/off field.
func (f *Form) Toggle(name, label, help string, on bool) *Toggle {
	t := &Toggle{cycler: cycler{fieldMeta{name, label, help}}, on: on}
	f.fields = append(f.fields, t)
	return t
}
