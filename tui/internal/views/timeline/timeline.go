// Package timeline is the timeline view: each execution as a bar over
// time, from its start to its end (or now), drawn by outcome. A frame
// draws only the rows on screen, straight from the snapshot (newest
// first): its cost follows the screen, not the fleet.
package timeline

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// Name is the view's name.
const Name = "timeline"

// Spec is the view's registry entry.
var Spec = pane.Spec{Info: Info, New: func(ctx *pane.Context) pane.View { return New(ctx) }}

// Info names the view. It has no tab (seven do not fit 80 columns): 7 or
// :timeline shows it.
var Info = pane.Info{Name: Name, Aliases: []string{"time", "tl", "gantt"}, Key: "7", KeyHelp: "timeline: each run as a bar over time"}

// Spans are the time windows the view shows (+ and - step through them).
var Spans = []time.Duration{15 * time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour}

// View is the timeline.
type View struct {
	pane.Info
	ctx  *pane.Context
	t    kit.Table // rows: the snapshot's executions, newest first
	span int       // index into Spans
	// selID is the execution the operator moved to: a new snapshot (newer
	// runs on top) keeps the cursor on it.
	selID string
	w, h  int
}

// New builds the view.
func New(ctx *pane.Context) *View {
	return &View{Info: Info, ctx: ctx, span: 1,
		t: kit.NewTable(kit.Column{Title: "AGENT", Width: 16}, kit.Column{Title: "ID", Width: 8}, kit.Column{Title: "RUN", Flex: 1, Min: 10})}
}

// HandleKey implements pane.Pane.
func (v *View) HandleKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	if mv := kit.Scroll(v.ctx.Keys, k); mv != kit.NoMotion {
		v.t.Apply(mv)
		if e, ok := v.selected(); ok {
			v.selID = e.ID
		}
		return nil, true
	}
	switch {
	case key.Matches(k, v.ctx.Keys.SpanShorter.Binding):
		v.span = max(v.span-1, 0)
		return nil, true
	case key.Matches(k, v.ctx.Keys.SpanLonger.Binding):
		v.span = min(v.span+1, len(Spans)-1)
		return nil, true
	case key.Matches(k, v.ctx.Keys.Open.Binding):
		if e, ok := v.selected(); ok {
			return v.ctx.Host.Show(pane.Target{Execution: e.ID}), true
		}
		return nil, true
	}
	return nil, false
}

func (v *View) selected() (api.Execution, bool) {
	snap := v.ctx.Snap
	if snap == nil || snap.Len() == 0 {
		return api.Execution{}, false
	}
	return snap.Executions[min(v.t.Cursor(), snap.Len()-1)], true
}

// HandleMsg implements pane.Pane: the rows follow the snapshot, and a
// new one keeps the selected execution selected.
func (v *View) HandleMsg(msg tea.Msg) tea.Cmd {
	if v.ctx.Snap != nil {
		v.t.SetLen(v.ctx.Snap.Len())
	}
	if events, ok := msg.(pane.PollMsg); ok {
		for _, ev := range events {
			if s, ok := ev.(poller.SnapshotEvent); ok {
				v.reselect(s.Snapshot)
			}
		}
	}
	return nil
}

// reselectReach is how far from the cursor a new snapshot is searched for
// the selected execution: bounded, so a snapshot costs the view O(1) (a
// run pushed further down by newer ones leaves the cursor where it was).
const reselectReach = 64

func (v *View) reselect(snap *poller.Snapshot) {
	if v.selID == "" || snap == nil {
		return
	}
	v.t.SetLen(snap.Len())
	c := v.t.Cursor()
	for d := 0; d <= reselectReach; d++ {
		for _, r := range [2]int{c + d, c - d} {
			if r >= 0 && r < snap.Len() && snap.Executions[r].ID == v.selID {
				v.t.SetCursor(r)
				return
			}
		}
	}
}

// SetSize implements pane.Pane.
func (v *View) SetSize(w, h int) {
	v.w, v.h = w, h
	v.t.SetSize(max(w-2, 1), max(h-4, 1)) // frame, header, axis
}

// SetFocused implements pane.Pane.
func (v *View) SetFocused(bool) {}

// Capturing implements pane.Pane.
func (v *View) Capturing() bool { return false }

// ShortHelp implements pane.Pane.
func (v *View) ShortHelp() []key.Binding {
	k := v.ctx.Keys
	return keys.Bindings(k.Open, k.Up, k.Down, k.SpanShorter, k.SpanLonger, k.Help, k.Quit)
}

// Render implements pane.Pane.
func (v *View) Render() []string {
	st, snap, now := v.ctx.Styles, v.ctx.Snap, v.ctx.Now
	span := Spans[v.span]
	title := fmt.Sprintf("Timeline · last %s · ■ done ▓ failed ░ cancelled ▒ running%s", kit.CompactDuration(span), v.zoomHint())
	if snap == nil || snap.Len() == 0 {
		return kit.Frame(st, title, kit.PadAll([]string{" " + st.Muted.Render("No executions yet.")}, v.w-2), v.w, v.h, true)
	}
	barW := v.barWidth()
	from := now.Add(-span)
	lines := []string{v.t.Header(st)}
	a, b := v.t.Visible()
	for r := a; r < b; r++ {
		e := snap.Executions[r]
		bar := v.bar(e, from, span, barW)
		cells := []string{sanitize.Line(e.AgentName), kit.ShortID(e.ID), bar}
		line := v.t.JoinCells(cells)
		if r == v.t.Cursor() {
			line = st.Selected.Render(line)
		}
		lines = append(lines, line)
	}
	for len(lines) < v.h-3 {
		lines = append(lines, "")
	}
	lines = append(lines, v.axis(from, span, barW))
	return kit.Frame(st, title, kit.PadAll(lines, v.w-2), v.w, v.h, true)
}

// barWidth is the RUN column's width.
func (v *View) barWidth() int { return max(v.w-2-16-8-2, 10) }

// bar draws e's run from its start to its end (or now) on a line of w
// cells covering [from, from+span); a run shorter than a cell gets one.
func (v *View) bar(e api.Execution, from time.Time, span time.Duration, w int) string {
	end := v.ctx.Now
	if !e.TerminalAt.IsZero() {
		end = e.TerminalAt
	} else if e.Status.IsTerminal() {
		end = e.CreatedAt.Add(e.Elapsed(v.ctx.Now))
	}
	cell := func(t time.Time) int { return int(float64(t.Sub(from)) / float64(span) * float64(w)) }
	a, b := cell(e.CreatedAt), cell(end)
	if b < 0 || a >= w {
		return strings.Repeat(" ", w) // outside the window
	}
	a, b = max(a, 0), min(max(b, a+1), w)
	glyph, style := "▒", v.ctx.Styles.Status(e.Status)
	switch {
	case e.Status == api.StatusCompleted && (e.Result == nil || !failed(e.Result.Outcome)):
		glyph = "■"
	case e.Status == api.StatusCompleted, e.Status == api.StatusFailed:
		glyph, style = "▓", v.ctx.Styles.Status(api.StatusFailed)
	case e.Status == api.StatusCancelled:
		glyph = "░"
	}
	return strings.Repeat(" ", a) + style.Render(strings.Repeat(glyph, b-a)) + strings.Repeat(" ", w-b)
}

// failed reports an outcome that is not a success.
func failed(outcome string) bool {
	switch strings.ToLower(strings.TrimSpace(outcome)) {
	case "", "success", "succeeded", "ok":
		return false
	}
	return true
}

// axis is the time scale under the bars: the window's start, middle and now.
func (v *View) axis(from time.Time, span time.Duration, w int) string {
	lead := strings.Repeat(" ", 16+8+2)
	left := from.Local().Format("15:04")
	mid := from.Add(span / 2).Local().Format("15:04")
	right := "now"
	line := []rune(strings.Repeat("─", w))
	out := string(line)
	if w >= 20 {
		gap1 := w/2 - len(left) - len(mid)/2
		gap2 := w - w/2 - (len(mid) - len(mid)/2) - len(right)
		out = left + strings.Repeat(" ", max(gap1, 1)) + mid + strings.Repeat(" ", max(gap2, 1)) + right
	}
	return v.ctx.Styles.Muted.Render(lead + out)
}

// zoomHint is the title's reminder of the span keys, as they are bound
// (config overrides included).
func (v *View) zoomHint() string {
	var ks []string
	for _, a := range []*keys.Action{v.ctx.Keys.SpanShorter, v.ctx.Keys.SpanLonger} {
		if a.Binding.Enabled() && len(a.Binding.Keys()) > 0 {
			ks = append(ks, a.Binding.Help().Key)
		}
	}
	if len(ks) == 0 {
		return ""
	}
	return " · " + strings.Join(ks, "/") + " zoom"
}
