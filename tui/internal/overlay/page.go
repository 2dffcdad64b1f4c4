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
	all := p.lines(p.w - 4)
	win := p.Window(all, p.h-2)
	title := p.title()
	if p.Offset() > 0 {
		title += " · ↑ more above"
	}
	if n := len(win); n > 1 && p.Offset()+n < len(all) {
		// The last line says there is more, and how to get to it.
		win = append(win[:n-1:n-1], " "+p.ctx.Styles.Muted.Render("↓ more below (↓/j, pgdn, G)"))
	}
	return kit.Frame(p.ctx.Styles, title, kit.PadAll(win, p.w-2), p.w, p.h, true)
}

// KV is a page's "key  value" line.
func KV(ctx *pane.Context, k, v string, w int) string {
	return " " + ctx.Styles.Muted.Render(kit.FitCell(k, 14, false)) + " " + ansi.Truncate(v, max(w-16, 10), "…")
}

// helpColumnWidth is the width from which help is laid out in two columns.
const helpColumnWidth = 140

// helpLines renders the full help: every scope's enabled bindings, in two
// columns on a wide terminal.
func helpLines(ctx *pane.Context, width int) []string {
	if width < helpColumnWidth {
		return helpColumn(ctx, width)
	}
	colW := (width - 2) / 2
	lines := helpColumn(ctx, colW)
	// Break at the scope boundary nearest the middle.
	mid := (len(lines) + 1) / 2
	split := len(lines)
	for i := range lines {
		if lines[i] == "" && (split == len(lines) || abs(i-mid) < abs(split-mid)) {
			split = i
		}
	}
	left, right := lines[:split], lines[min(split+1, len(lines)):]
	out := make([]string, max(len(left), len(right)))
	for i := range out {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = kit.PadLine(l, colW) + "  " + r
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// helpColumn is the help as one column of the given width.
func helpColumn(ctx *pane.Context, width int) []string {
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
