package executions

import (
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
)

// HandleKey implements pane.Pane. The reply box, while focused, takes every
// key; back (esc) undoes the latest narrowing; then the view's own keys
// and those of the focused area. Every key is handled.
func (v *View) HandleKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	km := v.ctx.Keys
	if v.focus == areaPrompt {
		return v.reply.HandleKey(k), true
	}
	switch {
	case key.Matches(k, km.Back.Binding):
		return v.back(), true
	case key.Matches(k, km.FocusNext.Binding):
		v.cycleFocus(1)
		return nil, true
	case key.Matches(k, km.FocusPrev.Binding):
		v.cycleFocus(-1)
		return nil, true
	case key.Matches(k, km.Zoom.Binding) && !v.folds(k):
		v.zoom = !v.zoom
		return nil, true
	case key.Matches(k, km.Export.Binding):
		return v.openExport(), true
	case key.Matches(k, km.ToggleAgents.Binding):
		if v.w < agentsMinWidth {
			v.ctx.Flash(pane.Warn, fmt.Sprintf("The agents pane needs %d columns; this terminal is %d. Widen it, or filter by agent with / agent:NAME.", agentsMinWidth, v.w))
			return nil, true
		}
		v.showAgents = !v.showAgents
		if !v.showAgents && v.focus == areaAgents {
			v.setFocus(areaTable)
		}
		return nil, true
	}
	var cmd tea.Cmd
	ok := false
	switch v.focus {
	case areaAgents:
		cmd, ok = v.onAgentPaneKey(k)
	case areaFeed:
		cmd, ok = v.onFeedKey(k)
	default:
		cmd, ok = v.onTableKey(k)
	}
	if ok {
		return cmd, true
	}
	return v.onActionKey(k), true
}

// back undoes the most recent narrowing: marks, a feed search, a focused
// feed, a filter, an agent filter, the agents pane.
func (v *View) back() tea.Cmd {
	f := v.currentFeed()
	switch {
	case v.focus != areaFeed && len(v.marks) > 0:
		v.marks = map[string]bool{}
		v.ctx.Flash(pane.Note, "Marks cleared.")
	case v.focus == areaFeed && f != nil && f.Query() != "":
		return pane.Send(Name, f.SetQuery(""))
	case v.focus == areaFeed:
		v.setFocus(areaTable)
	case v.rows.filter != "":
		v.rows.filter = ""
		return v.requestRows()
	case v.rows.agentID != "":
		v.rows.agentID = ""
		v.agentPane.Apply(kit.Top)
		return v.requestRows()
	case v.focus == areaAgents:
		v.setFocus(areaTable)
	}
	return nil
}

func (v *View) cycleFocus(d int) {
	order := []Area{areaTable, areaFeed}
	if v.showAgents && v.agentsWidth() > 0 {
		order = append([]Area{areaAgents}, order...)
	}
	i := slices.Index(order, v.focus)
	v.setFocus(order[(i+d+len(order))%len(order)])
}

// onTableKey moves in the executions table.
func (v *View) onTableKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	if mv := kit.Scroll(v.ctx.Keys, k); mv != kit.NoMotion {
		v.rows.table.Apply(mv)
		return v.selectionChanged(), true
	}
	km, l := v.ctx.Keys, &v.rows
	switch {
	case key.Matches(k, km.Open.Binding):
		if _, ok := v.selectedExec(); ok {
			v.setFocus(areaFeed)
		}
		return nil, true
	case key.Matches(k, km.Filter.Binding):
		return v.ctx.Host.Line(pane.LineFilter), true
	case key.Matches(k, km.Sort.Binding):
		l.sortBy = (l.sortBy + 1) % sortKey(len(sortNames))
		v.ctx.Flash(pane.Note, "Sorted by "+sortNames[l.sortBy]+".")
		return v.requestRows(), true
	case key.Matches(k, km.SortReverse.Binding):
		l.reverse = !l.reverse
		return v.requestRows(), true
	case key.Matches(k, km.Mark.Binding):
		return v.toggleMark(), true
	case key.Matches(k, km.MarkAll.Binding):
		return v.markAllRows(), true
	}
	return nil, false
}

// onFeedKey handles the feed's own keys.
func (v *View) onFeedKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	f := v.currentFeed()
	if f == nil {
		return nil, false
	}
	km := v.ctx.Keys
	switch kit.Scroll(km, k) {
	case kit.LineUp:
		f.Up(1)
	case kit.LineDown:
		f.Down(1)
	case kit.PageUp:
		f.PageUp()
	case kit.PageDown:
		f.PageDown()
	case kit.Top:
		f.Top()
	case kit.Bottom:
		f.Bottom()
	default:
		switch {
		case key.Matches(k, km.Follow.Binding):
			f.ToggleFollow()
		case key.Matches(k, km.Wrap.Binding):
			f.ToggleWrap()
		case key.Matches(k, km.Timestamps.Binding):
			f.ToggleTimes()
		case key.Matches(k, km.FreezeFeed.Binding):
			f.ToggleFrozen()
		case key.Matches(k, km.Expand.Binding):
			f.ToggleExpand()
		case key.Matches(k, km.Fold.Binding) && f.Tree():
			f.ToggleFold()
		case key.Matches(k, km.Search.Binding):
			return v.ctx.Host.Line(pane.LineSearch), true
		case key.Matches(k, km.NextMatch.Binding):
			f.NextMatch()
		case key.Matches(k, km.PrevMatch.Binding):
			f.PrevMatch()
		default:
			return nil, false
		}
	}
	return nil, true
}

// onActionKey handles actions on the selected execution, available from
// every area of the view.
func (v *View) onActionKey(k tea.KeyPressMsg) tea.Cmd {
	km := v.ctx.Keys
	switch {
	case len(v.marks) > 0 && key.Matches(k, km.Pause.Binding):
		return v.startBulk(bulkPause)
	case len(v.marks) > 0 && key.Matches(k, km.Resume.Binding):
		return v.startBulk(bulkResume)
	case len(v.marks) > 0 && key.Matches(k, km.Cancel.Binding):
		return v.startBulk(bulkCancel)
	case key.Matches(k, km.Pause.Binding):
		return v.pause()
	case key.Matches(k, km.Resume.Binding):
		return v.resume()
	case key.Matches(k, km.Cancel.Binding):
		return v.cancel()
	case key.Matches(k, km.Reply.Binding):
		return v.focusReply()
	case key.Matches(k, km.Details.Binding):
		if e, ok := v.actionTarget(); ok {
			return openDetail(v.ctx, e)
		}
	case key.Matches(k, km.Execute.Binding):
		return OpenExecute(v.ctx, v.rows.agentID)
	case key.Matches(k, km.OpenURL.Binding), key.Matches(k, km.CopyURL.Binding), key.Matches(k, km.CopyID.Binding):
		if e, ok := v.actionTarget(); ok {
			return urlAction(v.ctx, k, e)
		}
	default:
		if cmd, ok := v.customCommand(k); ok {
			return cmd
		}
		v.ctx.RefuseOff(k.String(), keys.ScopeExec)
	}
	return nil
}

// Show implements pane.Shower.
func (v *View) Show(t pane.Target) (tea.Cmd, bool) {
	switch {
	case t.NextWaiting:
		return v.jumpToWaiting()
	case t.Agent != "":
		return v.showAgent(t.Agent), true
	}
	return v.selectExecution(t.Execution, t.Reply), true
}

// jumpToWaiting selects the next execution waiting for a human, oldest
// first, cycling.
func (v *View) jumpToWaiting() (tea.Cmd, bool) {
	snap := v.ctx.Snap
	if snap == nil || len(snap.Waiting) == 0 {
		v.ctx.Flash(pane.Note, "No agent is waiting for you.")
		return nil, false
	}
	waiting := snap.Waiting
	next := waiting[0]
	if i := slices.IndexFunc(waiting, func(w api.InteractionRequest) bool { return w.ExecutionID == v.rows.selID }); i >= 0 {
		next = waiting[(i+1)%len(waiting)]
	}
	return v.selectExecution(next.ExecutionID, false), true
}

// selectExecution selects id, clearing filters that would hide it; with
// reply, the reply box then opens for it (only once it is selected, never
// for whatever was selected before).
func (v *View) selectExecution(id string, reply bool) tea.Cmd {
	if v.focus == areaPrompt || v.focus == areaAgents {
		v.setFocus(areaTable)
	}
	l := &v.rows
	if r, ok := l.pos[id]; ok {
		l.selID, l.want, l.wantReply = id, "", false
		l.table.SetCursor(r)
		cmd := v.selectionChanged()
		if reply {
			cmd = tea.Batch(cmd, v.focusReply())
		}
		return cmd
	}
	// Hidden by a filter, or not listed yet (just started): clear the
	// filters; applyRows selects it once it is there.
	l.want, l.wantReply = id, reply
	l.filter, l.agentID = "", ""
	v.agentPane.Apply(kit.Top)
	return tea.Batch(v.requestRows(), v.focusFeed(id))
}

// focusReply opens the reply box for the selected execution.
func (v *View) focusReply() tea.Cmd {
	e, ok := v.selectedExec()
	if !ok {
		return nil
	}
	if e.Status.Wants() == api.WantsApproval {
		v.ctx.Flash(pane.Warn, "It asks for an approval, not an answer: "+v.reply.Off(e)+".")
		return nil
	}
	if v.ctx.RefuseOff(k0(v.ctx.Keys.Reply), keys.ScopeExec) {
		return nil
	}
	if !v.can(e, func(c api.Capabilities) bool { return c.Reply }, "answered") {
		return nil
	}
	if e.Status.IsTerminal() {
		v.ctx.Flash(pane.Warn, "This execution has ended; there is nobody to reply to.")
		return nil
	}
	v.focus = areaPrompt
	return v.reply.Focus(e.ID)
}

// selectionChanged follows the selected execution: its feed and the rows
// the poller should keep fresh.
func (v *View) selectionChanged() tea.Cmd {
	e, ok := v.selectedExec()
	if !ok {
		return v.focusFeed("")
	}
	v.rows.selID = e.ID
	return tea.Batch(v.focusFeed(e.ID), v.reportVisible())
}

// reportVisible tells the poller which executions are on screen, when that
// changed.
func (v *View) reportVisible() tea.Cmd {
	l := &v.rows
	if l.snap == nil || v.ctx.Source == nil {
		return nil
	}
	from, to := l.table.Visible()
	ids := make([]string, 0, to-from)
	for r := from; r < to; r++ {
		ids = append(ids, l.snap.Executions[l.rows[r]].ID)
	}
	if slices.Equal(ids, v.visible) {
		return nil
	}
	v.visible = ids
	v.visibleGen++
	gen := v.visibleGen
	return kit.Tell(v.ctx.Source, func(p kit.Poller) { p.SetVisible(ids, gen) })
}

// k0 is an action's first key.
func k0(a *keys.Action) string {
	if ks := a.Binding.Keys(); len(ks) > 0 {
		return ks[0]
	}
	return ""
}

// folds reports k folding a span in the focused feed (a span tree's z):
// there the fold wins over the zoom, which Z also toggles.
func (v *View) folds(k tea.KeyPressMsg) bool {
	f := v.currentFeed()
	return v.focus == areaFeed && f != nil && f.Tree() && key.Matches(k, v.ctx.Keys.Fold.Binding)
}
