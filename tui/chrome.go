package tui

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// View draws the screen: header, body, footer. Only visible rows and lines
// are rendered.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = windowTitle(m.ctx.Snap, m.opts.Context)
	return v
}

func (m *Model) render() string {
	if !m.ready {
		return ""
	}
	if m.w < minWidth || m.h < minHeight {
		msg := fmt.Sprintf("agentop needs at least %d×%d.\nThis terminal is %d×%d: please enlarge it.\n\n(q quits)", minWidth, minHeight, m.w, m.h)
		return lipgloss.Place(m.w, m.h, lipgloss.Center, lipgloss.Center, ansi.Wrap(msg, m.w, "")) // every word, however narrow
	}
	var body []string
	if m.overlay != nil {
		body = m.overlay.Render()
	} else {
		body = m.views[m.current].Render()
	}
	return m.header() + "\n" + strings.Join(body, "\n") + "\n" + m.footer()
}

func windowTitle(snap *poller.Snapshot, context string) string {
	n := waiting(snap)
	title := "agentop"
	if context != "" {
		title += " · " + sanitize.Line(context)
	}
	if n > 0 {
		title = fmt.Sprintf("(%d need you) %s", n, title)
	}
	return title
}

func waiting(snap *poller.Snapshot) int {
	if snap == nil {
		return 0
	}
	return len(snap.Waiting)
}

// header is the context line and the tabs.
func (m *Model) header() string {
	st, o := m.ctx.Styles, m.opts
	left := st.Accent.Render(" agentop ")
	ctx := o.Context
	if o.Demo {
		ctx = "built-in simulator"
	}
	if ctx != "" {
		left += st.Muted.Render(" ") + sanitize.Line(ctx)
	}
	if host := endpointHost(o.BaseURL); host != "" && !o.Demo {
		left += st.Muted.Render(" · " + host)
	}
	if o.Organization != "" {
		left += st.Muted.Render(" · org " + kit.ShortID(o.Organization))
	}
	if o.Demo {
		left += " " + st.DemoBadge.Render("DEMO")
	}
	if o.ReadOnly {
		left += " " + st.ReadOnlyBadge.Render("READ-ONLY")
	}
	right := connText(st, m.conn, m.ctx.Now)
	switch api.KindOf(m.conn.Err) {
	case api.KindUnauthorized:
		right = st.Err.Render("✗ unauthorized: check the API key ")
	case api.KindForbidden:
		right = st.Err.Render("✗ forbidden: the key has no access ")
	}
	if n := waiting(m.ctx.Snap); n > 0 {
		right += " " + st.WaitBadge.Render(fmt.Sprintf("NEEDS YOU %d", n))
	}
	if m.ctx.Fleet != nil {
		room := m.w - lipgloss.Width(left) - lipgloss.Width(right) - 2
		left += " " + contextsText(st, m.ctx.Fleet, m.ctx.Snap, m.ctx.Now, room)
	}
	line1 := kit.Spread(left, right, m.w)

	var tabs []string
	for i, v := range m.views {
		info := v.About()
		if !v.Available(m.ctx.Caps) || (info.Title == "" && i != m.current) {
			continue // a view without a tab shows one only while current
		}
		if info.Title == "" {
			info.Title = keys.Capitalise(info.Name)
		}
		label := info.Key + " " + info.Title
		if b, ok := v.(pane.Badger); ok {
			label += b.Badge()
		}
		if i == m.current {
			tabs = append(tabs, st.Selected.Render(" "+label+" "))
		} else {
			tabs = append(tabs, st.Muted.Render(" "+label+" "))
		}
	}
	line2 := kit.Spread(strings.Join(tabs, ""), countsText(st, m.ctx.Snap), m.w)
	return line1 + "\n" + line2
}

// endpointHost is the host of the platform's base URL, for the header.
func endpointHost(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return sanitize.Line(u.Host)
}

// connText shows the connection: state and age of the data.
func connText(st *theme.Styles, c poller.ConnectionEvent, now time.Time) string {
	switch c.State {
	case poller.Live:
		return st.Ok.Render("●") + st.Muted.Render(" live · updated "+kit.Ago(now, c.LastSuccess)+" ago ")
	case poller.Degraded, poller.Offline:
		s := st.Warn.Render("◐ degraded")
		if c.State == poller.Offline {
			s = st.Err.Render("○ offline")
		}
		detail := ""
		if !c.NextRetry.IsZero() {
			detail = " · retry in " + kit.CompactDuration(c.NextRetry.Sub(now))
		}
		if !c.LastSuccess.IsZero() {
			detail += " · data from " + kit.Ago(now, c.LastSuccess) + " ago"
		}
		return s + st.Muted.Render(detail+" ")
	}
	return st.Muted.Render("◌ connecting… ")
}

// countsText shows executions per status, waiting first.
func countsText(st *theme.Styles, snap *poller.Snapshot) string {
	if snap == nil {
		return ""
	}
	var parts []string
	for _, s := range api.KnownStatuses {
		if n := snap.Counts[s]; n > 0 {
			parts = append(parts, st.Status(s).Render(fmt.Sprintf("%s %d", theme.Glyph(s), n)))
		}
	}
	others := 0
	for s, n := range snap.Counts {
		if !s.IsKnown() {
			others += n
		}
	}
	if others > 0 {
		parts = append(parts, fmt.Sprintf("%s %d", theme.Glyph(""), others))
	}
	return strings.Join(parts, "  ") + " "
}

// footer is the line input, the flash, or the current pane's short help.
func (m *Model) footer() string {
	st := m.ctx.Styles
	if m.ctx.Line.Input != nil {
		hint := "enter apply · esc clear"
		if m.ctx.Line.Kind == pane.LineCommand {
			hint = "tab complete · enter go · esc cancel"
		}
		return kit.Spread(" "+m.ctx.Line.Input.View(), st.Muted.Render(hint+" "), m.w)
	}
	if m.flash.text != "" {
		style := st.FlashInfo
		switch m.flash.level {
		case pane.Warn:
			style = st.FlashWarn
		case pane.Err:
			style = st.FlashErr
		}
		return kit.PadLine(" "+style.Render(m.flash.text), m.w)
	}
	binds := m.views[m.current].ShortHelp()
	if memo := &m.helpMemo; memo.line != "" && memo.view == m.current && memo.w == m.w && sameHelp(memo.binds, binds) {
		return memo.line
	}
	line := kit.PadLine(fitHints(m.ctx, binds, m.w, m.views[m.current].Capturing()), m.w)
	m.helpMemo = helpMemo{view: m.current, w: m.w, binds: binds, line: line}
	return line
}

// fitHints is as many whole hints as the width holds, in the pane's
// order (most important first), never one cut mid-word, then "? help".
func fitHints(ctx *pane.Context, binds []key.Binding, width int, capturing bool) string {
	st, km := ctx.Styles, ctx.Keys
	sep := st.Muted.Render(" · ")
	help := km.Help.Binding.Help()
	last := st.Key.Render(help.Key) + " " + st.KeyDesc.Render(help.Desc)
	if capturing {
		last = "" // ? types itself there
	}
	budget := width - 2 - ansi.StringWidth(last)
	var parts []string
	used := 0
	for _, b := range binds {
		h := b.Help()
		if h.Key == help.Key {
			continue
		}
		part := st.Key.Render(h.Key) + " " + st.KeyDesc.Render(km.FooterText(b))
		need := ansi.StringWidth(part) + 3
		if used+need > budget {
			break
		}
		parts = append(parts, part)
		used += need
	}
	if last != "" {
		parts = append(parts, last)
	}
	return " " + strings.Join(parts, sep)
}
