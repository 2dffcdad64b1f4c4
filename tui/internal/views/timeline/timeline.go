// Package timeline is the execution timeline: one row per execution,
// newest first, with a bar from its start to its end (or now) over the
// time the visible rows span, coloured by outcome. Only the visible rows
// are drawn; the snapshot's order is the rows' order, so nothing is built
// per execution.
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

// Info names the view.
var Info = pane.Info{Name: Name, Aliases: []string{"tl", "chart", "charts"}, Title: "Timeline", Key: "7", KeyHelp: "execution timeline"}

// Spec is the view's registry entry.
var Spec = pane.Spec{Info: Info, New: func(ctx *pane.Context) pane.View { return New(ctx) }}

// reselectReach is how far from the cursor a new snapshot is searched for
// the selected execution (newer runs arriving push it down): bounded, so
// a snapshot costs the view O(1).
const reselectReach = 64

// View is the timeline.
type View struct {
	pane.Info
	ctx     *pane.Context
	table   kit.Table // the left columns; the bars take the rest of the width
	w, h    int
	barW    int
	focused bool
	selID   string
	memo    memo
}

type memo struct {
	key   memoKey
	lines []string
}

// memoKey is what a frame depends on: the snapshot, the window of rows,
// the size, and the second (running bars grow, the window ends now).
type memoKey struct {
	seq            uint64
	cursor, offset int
	w, h           int
	focused        bool
	second         int64
}

// New builds the view.
func New(ctx *pane.Context) *View {
	return &View{Info: Info, ctx: ctx, table: kit.NewTable(
		kit.Column{Title: " ", Width: 1},
		kit.Column{Title: "AGENT", Flex: 1, Min: 10},
		kit.Column{Title: "ID", Width: 8},
		kit.Column{Title: "DURATION", Width: 8, Right: true},
	)}
}

// HandleKey implements pane.Pane: movement, and enter shows the execution.
func (v *View) HandleKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	km := v.ctx.Keys
	if mv := kit.Scroll(km, k); mv != kit.NoMotion {
		v.table.Apply(mv)
		v.selID = v.idAt(v.table.Cursor())
		return nil, true
	}
	if key.Matches(k, km.Open.Binding) {
		if id := v.idAt(v.table.Cursor()); id != "" {
			return v.ctx.Host.Show(pane.Target{Execution: id}), true
		}
		return nil, true
	}
	return nil, false
}

// HandleMsg implements pane.Pane: a new snapshot keeps the selection on
// its execution where it moved by a little.
func (v *View) HandleMsg(msg tea.Msg) tea.Cmd {
	events, ok := msg.(pane.PollMsg)
	if !ok {
		return nil
	}
	for _, ev := range events {
		if s, ok := ev.(poller.SnapshotEvent); ok {
			v.reselect(s.Snapshot)
		}
	}
	return nil
}

func (v *View) reselect(snap *poller.Snapshot) {
	v.table.SetLen(snap.Len())
	if v.selID == "" {
		return
	}
	c := v.table.Cursor()
	for d := 0; d <= reselectReach; d++ {
		for _, r := range [2]int{c + d, c - d} {
			if r >= 0 && r < snap.Len() && snap.Executions[r].ID == v.selID {
				v.table.SetCursor(r)
				return
			}
		}
	}
}

func (v *View) idAt(r int) string {
	if snap := v.ctx.Snap; snap != nil && r >= 0 && r < snap.Len() {
		return snap.Executions[r].ID
	}
	return ""
}

// SetSize implements pane.Pane.
func (v *View) SetSize(w, h int) {
	v.w, v.h = w, h
	inner := max(w-2, 1)
	left := min(max(inner*2/5, 30), 48)
	if left > inner-11 {
		left = max(inner/2, 1)
	}
	v.barW = max(inner-left-1, 0)
	v.table.SetSize(left, max(h-3, 1))
	v.table.SetLen(v.ctx.Snap.Len())
}

// SetFocused implements pane.Pane.
func (v *View) SetFocused(f bool) { v.focused = f }

// Capturing implements pane.Pane: no text box.
func (v *View) Capturing() bool { return false }

// ShortHelp implements pane.Pane.
func (v *View) ShortHelp() []key.Binding {
	k := v.ctx.Keys
	return keys.Bindings(k.Up, k.Down, k.Open, k.Command, k.Help, k.Quit)
}

// Render implements pane.Pane.
func (v *View) Render() []string {
	seq := uint64(0)
	if v.ctx.Snap != nil {
		seq = v.ctx.Snap.Seq
	}
	k := memoKey{seq: seq, cursor: v.table.Cursor(), offset: v.table.Offset(), w: v.w, h: v.h, focused: v.focused, second: v.ctx.Now.Unix()}
	if v.memo.lines != nil && v.memo.key == k {
		return v.memo.lines
	}
	lines := v.render()
	v.memo = memo{key: k, lines: lines}
	return lines
}

func (v *View) render() []string {
	st, snap, t := v.ctx.Styles, v.ctx.Snap, &v.table
	inner := max(v.w-2, 1)
	switch {
	case snap == nil:
		return kit.Frame(st, "Timeline", kit.PadAll([]string{" " + st.Muted.Render("Loading executions…")}, inner), v.w, v.h, v.focused)
	case snap.Len() == 0:
		return kit.Frame(st, "Timeline", kit.PadAll([]string{" " + st.Muted.Render("No executions yet.")}, inner), v.w, v.h, v.focused)
	}
	from, to := t.Visible()
	start, span := v.window(snap.Executions[from:to])
	title := fmt.Sprintf("Timeline · %d–%d of %d · %s → now (%s)", from+1, to, snap.Len(), kit.Clock(v.ctx.Now, start), kit.CompactDuration(span))
	lines := make([]string, 0, to-from+1)
	lines = append(lines, kit.PadLine(t.Header(st)+" "+st.TableHeader.Render(axis(kit.Clock(v.ctx.Now, start), v.barW)), inner))
	for r := from; r < to; r++ {
		e := snap.Executions[r]
		lines = append(lines, kit.PadLine(v.row(e, r == t.Cursor(), start, span), inner))
	}
	return kit.Frame(st, title, lines, v.w, v.h, v.focused)
}

// window is the time the rows span: from the earliest start among them to
// now, a little wider so the oldest bar does not touch the edge.
func (v *View) window(execs []api.Execution) (time.Time, time.Duration) {
	now := v.ctx.Now
	start := now
	for _, e := range execs {
		if !e.CreatedAt.IsZero() && e.CreatedAt.Before(start) {
			start = e.CreatedAt
		}
	}
	span := max(now.Sub(start), time.Minute)
	start = now.Add(-span - span/20)
	return start, now.Sub(start)
}

// row is an execution's cells and its bar: from its start to its end (or
// now, while it runs), then its outcome's glyph.
func (v *View) row(e api.Execution, sel bool, start time.Time, span time.Duration) string {
	st, t := v.ctx.Styles, &v.table
	o := kit.OutcomeOf(e)
	agent := e.AgentName
	if e.Context != "" && len(v.ctx.Fleet) > 0 {
		agent = e.Context + "/" + agent
	}
	cells := []string{kit.OutcomeGlyph(o), sanitize.Line(agent), kit.ShortID(e.ID), kit.CompactDuration(e.Elapsed(v.ctx.Now))}
	if !(sel && v.focused) {
		cells[0] = kit.OutcomeStyle(st, o).Render(cells[0])
	}
	left := t.JoinCells(cells)
	if sel && v.focused {
		left = st.Selected.Render(left)
	} else if sel {
		left = st.Bold.Render(left)
	}
	if v.barW < 2 {
		return left
	}
	end := v.ctx.Now
	if e.Status.IsTerminal() {
		end = e.CreatedAt.Add(e.Elapsed(v.ctx.Now))
	}
	a, b := kit.BarSpan(start, span, e.CreatedAt, end, v.barW-1)
	style := kit.OutcomeStyle(st, o)
	var bar strings.Builder
	bar.WriteString(strings.Repeat(" ", a))
	bar.WriteString(style.Render(strings.Repeat("█", b-a) + kit.OutcomeGlyph(o)))
	bar.WriteString(strings.Repeat(" ", v.barW-1-b))
	return left + " " + bar.String()
}

// axis is the bars' header: the window's start at the left, now at the
// right.
func axis(start string, w int) string {
	if w < len(start)+4 {
		return strings.Repeat(" ", w)
	}
	return kit.Spread(start, "now", w)
}
