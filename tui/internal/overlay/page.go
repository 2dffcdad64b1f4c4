package overlay

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
)

// Page is a read-only, scrollable page.
type Page struct {
	kit.Page
	ctx   *pane.Context
	title string
	lines func(w int) []string
	w, h  int
}

// NewPage returns a page whose lines are built for the inside width.
func NewPage(ctx *pane.Context, title string, lines func(w int) []string) *Page {
	return &Page{ctx: ctx, title: title, lines: lines}
}

// Title is the page's title.
func (p *Page) Title() string { return p.title }

// Update implements pane.Overlay.
func (p *Page) Update(msg tea.Msg) (pane.Action, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return pane.Stay, nil
	}
	km := p.ctx.Keys
	if key.Matches(k, km.Back.Binding, km.Open.Binding, km.Quit.Binding) {
		return pane.Close, nil
	}
	p.Apply(kit.Scroll(km, k))
	return pane.Stay, nil
}

// SetSize implements pane.Overlay.
func (p *Page) SetSize(w, h int) { p.w, p.h = w, h }

// Render implements pane.Overlay.
func (p *Page) Render() []string {
	return kit.Frame(p.ctx.Styles, p.title+" · esc back", kit.PadAll(p.Window(p.lines(p.w-4), p.h-2), p.w-2), p.w, p.h, true)
}

// KV is a page's "key  value" line.
func KV(ctx *pane.Context, k, v string, w int) string {
	return " " + ctx.Styles.Muted.Render(kit.FitCell(k, 14, false)) + " " + ansi.Truncate(v, max(w-16, 10), "…")
}

// Help lists every enabled binding by scope, generated from the keymap.
type Help struct {
	kit.Page
	ctx  *pane.Context
	w, h int
}

// NewHelp returns the help page.
func NewHelp(ctx *pane.Context) *Help { return &Help{ctx: ctx} }

// Update implements pane.Overlay.
func (o *Help) Update(msg tea.Msg) (pane.Action, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return pane.Stay, nil
	}
	km := o.ctx.Keys
	if key.Matches(k, km.Help.Binding, km.Back.Binding, km.Quit.Binding) {
		return pane.Close, nil
	}
	o.Apply(kit.Scroll(km, k))
	return pane.Stay, nil
}

// SetSize implements pane.Overlay.
func (o *Help) SetSize(w, h int) { o.w, o.h = w, h }

// Render implements pane.Overlay.
func (o *Help) Render() []string {
	body := kit.PadAll(o.Window(helpLines(o.ctx, o.w-4), o.h-2), o.w-2)
	title := "Help · ? or esc to close"
	if o.ctx.ReadOnly {
		title += " · read-only: actions that change things are hidden"
	}
	return kit.Frame(o.ctx.Styles, title, body, o.w, o.h, true)
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
