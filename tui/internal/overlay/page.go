package overlay

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
)

// Page is a read-only, scrollable page; the keys in closers close it.
type Page struct {
	kit.Page
	ctx     *pane.Context
	title   func() string
	lines   func(w int) []string
	closers []key.Binding
	w, h    int
}

// NewPage returns a page whose lines are built for the inside width.
func NewPage(ctx *pane.Context, title string, lines func(w int) []string) *Page {
	km := ctx.Keys
	return &Page{ctx: ctx, title: func() string { return title + " · esc back" }, lines: lines,
		closers: []key.Binding{km.Back.Binding, km.Open.Binding, km.Quit.Binding}}
}

// NewHelp returns the help page: every enabled binding by scope, generated
// from the keymap.
func NewHelp(ctx *pane.Context) *Page {
	km := ctx.Keys
	title := func() string {
		t := "Help · ? or esc to close"
		if ctx.ReadOnly {
			t += " · read-only: actions that change things are hidden"
		}
		return t
	}
	return &Page{ctx: ctx, title: title, lines: func(w int) []string { return helpLines(ctx, w) },
		closers: []key.Binding{km.Help.Binding, km.Back.Binding, km.Quit.Binding}}
}

// Title is the page's title.
func (p *Page) Title() string { return p.title() }

// Update implements pane.Overlay.
func (p *Page) Update(msg tea.Msg) (pane.Action, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return pane.Stay, nil
	}
	if key.Matches(k, p.closers...) {
		return pane.Close, nil
	}
	p.Apply(kit.Scroll(p.ctx.Keys, k))
	return pane.Stay, nil
}

// SetSize implements pane.Overlay.
func (p *Page) SetSize(w, h int) { p.w, p.h = w, h }

// Render implements pane.Overlay.
func (p *Page) Render() []string {
	return kit.Frame(p.ctx.Styles, p.title(), kit.PadAll(p.Window(p.lines(p.w-4), p.h-2), p.w-2), p.w, p.h, true)
}

// KV is a page's "key  value" line.
func KV(ctx *pane.Context, k, v string, w int) string {
	return " " + ctx.Styles.Muted.Render(kit.FitCell(k, 14, false)) + " " + ansi.Truncate(v, max(w-16, 10), "…")
}

// helpLines renders the full help: every scope's enabled bindings.
func helpLines(ctx *pane.Context, width int) []string {
	st, km := ctx.Styles, ctx.Keys
	var lines []string
	keyW := 0
	for _, a := range km.Actions() {
		if a.Binding.Enabled() {
			keyW = max(keyW, ansi.StringWidth(a.Binding.Help().Key))
		}
	}
	keyW = min(keyW, 18)
	for _, s := range keys.ScopeOrder {
		bs := km.Scoped(s)
		if len(bs) == 0 {
			continue
		}
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, " "+st.Accent.Render(keys.Capitalise(string(s))))
		for _, b := range bs {
			h := b.Help()
			lines = append(lines, "   "+st.Key.Render(kit.FitCell(h.Key, keyW, false))+"  "+
				ansi.Truncate(st.KeyDesc.Render(h.Desc), max(width-keyW-5, 10), "…"))
		}
	}
	return lines
}
